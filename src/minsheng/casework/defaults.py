"""National defaults for follow-up escalation; districts override them in settings
(MINSHENG_CASEWORK = {...})."""

# Working days a follow-up may stay overdue at "yellow" before it turns "red".
ESCALATE_RED_AFTER_WORKING_DAYS = 5
# A running clock is "due soon" within this many working days of its deadline.
DUE_SOON_WORKING_DAYS = 2
# A running calendar-day clock (e.g. a 7-day public notice) is "due soon" within this many days.
DUE_SOON_DAYS = 2
# A running clock in hours (e.g. reporting a case, verifying an alert) is "due soon" within
# this many hours of its deadline.
DUE_SOON_HOURS = 4
