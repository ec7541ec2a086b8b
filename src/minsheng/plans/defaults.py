"""Defaults of plan supervision; districts override them with settings.MINSHENG_PLANS = {...}.

These are local administrative practice, not national law: the State Council's supervision
rules (国务院办公厅督查工作规定) leave response times to the supervising office, and most
district supervision offices (督查室) ask for a written response within 10 working days
and monthly progress reports by the 5th working day of the following month.
"""

# Working days the lead department has to respond to a supervision item.
SUPERVISION_WORKING_DAYS = 10
# A measure's monthly progress report is due this many working days after the month ends.
REPORT_DUE_WORKING_DAYS = 5
# Deadline given to imported targets whose year is redacted ("到202x年"), until decided.
DEFAULT_DEADLINE = "2027-12-31"
