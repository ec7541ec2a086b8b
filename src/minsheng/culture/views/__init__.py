"""Pages of the culture module: thin views that parse with a form, call a service, render."""
