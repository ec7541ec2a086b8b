"""National defaults for the health module, each with its source. Districts override them
in settings: MINSHENG_HEALTH = {"VERIFY_WITHIN_HOURS": 12, ...}."""


# Hours within which a case report must be filed after diagnosis, by disease class, when the
# disease row does not say otherwise. 《传染病信息报告管理规范（2015年版）》 §3.3: class A
# (and class B managed as A) within 2 hours, all others within 24 hours.
REPORT_WITHIN_HOURS = {"A": 2, "B": 24, "C": 24, "O": 24}

# Hours within which an early-warning signal must be verified. CIDARS operating rules
# (中国疾控中心《国家传染病自动预警信息系统》工作规范): signals are to be responded to and
# verified within 24 hours; signals of single-case threshold diseases (plague, cholera,
# SARS, ...) immediately — we use 2 hours, the report limit for class A.
VERIFY_WITHIN_HOURS = 24
VERIFY_WITHIN_HOURS_THRESHOLD = 2

# Weeks (or days, for daily series) evaluated on each daily run: the current period plus this
# many earlier ones, so that late case reports can still raise a signal for last week.
DETECTION_LOOKBACK_PERIODS = 1
# Weeks of history loaded for each series (5 years + a margin, enough for Farrington b=5).
DETECTION_HISTORY_WEEKS = 5 * 52 + 10

# Urgency: a signal whose count is at least this many times the threshold is "high".
URGENCY_HIGH_RATIO = 2.0

# Life table: below this mid-year population an abridged life table is unstable (Eayres D,
# Williams ES. Evaluation of methodologies for small area life expectancy estimation.
# J Epidemiol Community Health 2004;58:243-9: at least 5,000 person-years).
LIFE_TABLE_MIN_POPULATION = 5000
# Chiang's fraction of the interval lived by those who die (a_x): 0.1 for age 0, 0.5 for
# all other closed groups (as in the Chiang II method used by PHE and China CDC).
LIFE_TABLE_A0 = 0.1
LIFE_TABLE_A = 0.5
LIFE_TABLE_RADIX = 100_000

# Emergency medical supplies: warn about lots expiring within this many days.
# 《国家卫生应急物资储备管理办法》 asks for rotation before expiry; 90 days leaves one
# procurement cycle to replace the lot.
SUPPLIES_EXPIRY_WINDOW_DAYS = 90
# Working days given to close a supplies follow-up (shortfall or expiring lot).
SUPPLIES_FOLLOWUP_WORKING_DAYS = 10

