"""Every write of the food and drug safety module (operators and licences, grading,
plans and draws, inspections and rectification, samples)."""
