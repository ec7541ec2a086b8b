"""National defaults for follow-up escalation; districts override them in settings
(MINSHENG_CASEWORK = {...})."""

# Working days a follow-up may stay overdue at "yellow" before it turns "red".
ESCALATE_RED_AFTER_WORKING_DAYS = 5
# A running clock is "due soon" within this many working days of its deadline.
DUE_SOON_WORKING_DAYS = 2
