"""Safety pages, split by subject. Thin: parse with a form, call a service (through
`core.pages.submit`), render; reads go through the selectors."""
