"""Social assistance pages, by subject. Thin: a Django form parses the input, a service
writes (core.pages.submit: a refusal is shown in place with the input kept), selectors
read."""
