"""Every write of the safety module, split by subject: hazards, inspections, iot,
accidents, emergency."""
