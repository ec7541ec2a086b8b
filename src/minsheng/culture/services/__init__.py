"""Every write of the culture module (see docs/developing.md: one write path)."""
