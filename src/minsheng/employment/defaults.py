"""National defaults for the employment module. A district overrides any of them with
``settings.MINSHENG_EMPLOYMENT = {"NAME": value}`` (read through `employment.config`)."""

# --- Unemployment insurance (失业保险) -------------------------------------------------
# Social Insurance Law of the PRC (2010, rev. 2018) art. 45 and Regulations on
# Unemployment Insurance (失业保险条例, 1999) art. 14: benefits need >= 1 year of
# contributions by employer and worker, involuntary interruption of employment, and
# registration as unemployed with a request for work.
BENEFIT_MIN_CONTRIBUTION_YEARS = 1
# 失业保险条例 art. 17 / Social Insurance Law art. 46: 1-5 years of contributions: up to 12
# months; 5-10 years: up to 18 months; >= 10 years: up to 24 months.
BENEFIT_DURATION_MONTHS = ((1, 12), (5, 18), (10, 24))  # (from contribution years, months)
# Social Insurance Law art. 47: not below the local dibao standard; 人社部发〔2017〕71号 lets
# provinces set it up to 90% of the local minimum wage. Default: 90%.
BENEFIT_SHARE_OF_MINIMUM_WAGE = 0.9
# Local monthly minimum wage (yuan) — Tianjin's 2023 standard, 2,320 yuan; districts set theirs.
MINIMUM_WAGE_MONTHLY = 2320
# 失业保险条例 art. 15 (5): benefits stop when the person refuses, without a proper reason,
# suitable work or training offered by the employment service.
BENEFIT_STOP_ON_REFUSAL = True
# Voluntary separations do not qualify (Social Insurance Law art. 45 (2)).
INVOLUNTARY_SEPARATIONS = ("layoff", "contract_expiry", "dismissal", "closure", "bankruptcy")

# --- Employment-difficulty people (就业困难人员) -----------------------------------------
# Employment Promotion Law art. 52-55 and 人社部《就业服务与就业管理规定》 art. 33: the public
# employment service contacts each difficulty person at least once a month. Default: 30 days.
DIFFICULTY_MIN_CONTACT_DAYS = 30
# Long-term unemployed: registered unemployed for 12 months or more (人社部 practice).
LONG_TERM_UNEMPLOYED_MONTHS = 12
# Graduates count as "within 2 years of graduation" (国办发〔2022〕13号 supports graduates in
# their graduation year and the two years before: 离校2年内未就业高校毕业生).
GRADUATE_YEARS = 2

# --- Matching ----------------------------------------------------------------------------
# Stated requirements are filters (engine.FILTERS): required certificates, minimum
# experience and education, the seeker's minimum salary (no tolerance: a post paying less
# than the seeker asked for is not offered), travel time, shift, public-welfare eligibility.
# Weights of the scored preferences (sum need not be 1; the score is relative).
MATCH_WEIGHTS = {"occupation": 0.40, "text": 0.20, "skills": 0.20, "certificates": 0.05,
                 "salary": 0.08, "commute": 0.07}
# Occupation fit: exact occupation > same minor group (小类) > same major group (大类).
OCCUPATION_FIT = {"exact": 1.0, "minor": 0.6, "major": 0.25}
# A post is recommended to at most this many seekers per opening per period (month) —
# keeps everyone from being sent to the same post.
EXPOSURE_PER_OPENING = 8
EXPOSURE_MIN = 10
# Relevance without the same occupation / minor group (engine.relevant_mask): share of the
# post's skills the seeker has, or BM25 relative to the seeker's best post.
RELEVANT_SKILL_SHARE = 0.5
RELEVANT_TEXT = 0.6
# Suggestions from a seeker's words (employment.occupation_map) at or above this confidence
# are used for matching until a caseworker confirms the occupations.
OCCUPATION_SUGGESTION_MIN_CONFIDENCE = 0.6
# A job post is flagged for review when the screening model's probability reaches this
# (employment.screening; benchmarks/fraud_screening.py shows precision/recall at 0.5).
SCREENING_THRESHOLD = 0.5
# A list shorter than this says so and suggests training.
RECOMMENDATIONS_SHOWN = 10
# Longest commute when the seeker states none (minutes).
DEFAULT_MAX_COMMUTE_MINUTES = 60
# Travel time from coordinates (matchdata.travel_minutes):
#   minutes = ACCESS + straight-line km x DETOUR / SPEED x 60
# DETOUR 1.3: road distance over straight-line distance in cities is 1.2-1.4 (Ballou,
# Rahardja & Sakai 2002, "Selected country circuity factors for road and rail networks",
# Transportation Research A 36; 1.3 is the usual planning value). SPEED 20 km/h: door-to-door
# mean of urban bus/metro/e-bike trips in Chinese cities is 15-25 km/h (中国城市规划设计研究院
# 《中国主要城市通勤监测报告》: about 9 km in about 36 minutes one way); ACCESS 10 minutes
# walking and waiting. A district with its own table of travel times replaces this.
TRAVEL_ACCESS_MINUTES = 10
TRAVEL_DETOUR_FACTOR = 1.3
TRAVEL_SPEED_KMH = 20
# Only where an area has no coordinates: a rough estimate by area (minutes) — same
# community, same subdistrict, other subdistricts; shown as "rough" on the page.
COMMUTE_SAME_COMMUNITY = 10
COMMUTE_SAME_SUBDISTRICT = 25
COMMUTE_OTHER_SUBDISTRICT = 40
COMMUTE_PER_SUBDISTRICT_STEP = 8

# --- Postings ----------------------------------------------------------------------------
DESCRIPTION_MAX_CHARS = 5000
POSTING_MAX_VALID_DAYS = 180
# Wording that signals fee-taking or "training loan" traps (人社部《人力资源市场暂行条例》
# art. 24-25 and the Labour Contract Law art. 9: employers may not collect deposits or fees).
FRAUD_PATTERNS = ("押金", "保证金", "培训费", "培训贷", "贷款培训", "服装费", "体检费自理",
                  "入职费", "介绍费", "先交", "报名费", "刷单", "垫付", "资料费", "办卡费")
PUBLIC_SUBMIT_PER_IP_PER_HOUR = 5
PUBLIC_SUBMIT_PER_EMPLOYER_PER_DAY = 20
PUBLIC_SUBMIT_MIN_SECONDS = 3
PUBLIC_SEARCH_PER_IP_PER_MINUTE = 60

# --- Unemployment early warning (失业预警) -----------------------------------------------
# Labour Contract Law art. 41: laying off >= 20 people, or fewer than 20 but >= 10% of the
# workforce, requires explaining it to the union or all staff 30 days in advance and
# reporting to the labour administration.
LAYOFF_MIN_PEOPLE = 20
LAYOFF_MIN_SHARE = 0.10
LAYOFF_NOTICE_DAYS = 30
# The 10% branch needs at least this many people: one or two departures in a very small
# firm are individual dismissals, not a collective layoff (local monitoring practice).
LAYOFF_SHARE_MIN_PEOPLE = 5
# Enterprise monthly job-loss rate (all reductions / baseline) that raises a warning
# (local practice in 失业动态监测 of monitored enterprises: 8% in a month); enterprises with
# fewer than MIN_BASELINE staff are too small for a rate to mean anything.
JOB_LOSS_RATE_THRESHOLD = 0.08
JOB_LOSS_MIN_BASELINE = 50
# Registered unemployment rate bands (人社部 unemployment early-warning practice; issue #4).
UNEMPLOYMENT_RATE_BANDS = ((0.03, "blue"), (0.05, "green"), (0.07, "yellow"), (1.01, "red"))
UNEMPLOYMENT_WARNING_BANDS = ("yellow", "red")
# Benefit claims: EARS C2 (CDC Early Aberration Reporting System, Hutwagner et al. 2003)
# run by minsheng.detection on the monthly count of new claims; the four values are passed
# to detect("ears_c2", ..., freq="M") as baseline, guard, k and min_sd (docs/detection.md).
# Baseline: the 7 months the month is compared with (EARS's 7 periods, counted in months).
CLAIMS_BASELINE_MONTHS = 7
# Guard band: those 7 months end 2 months before the month judged, so the first month of a
# rise does not inflate its own baseline (EARS C2's 2-period guard).
CLAIMS_GUARD_MONTHS = 2
# Alarm when the count exceeds mean + CLAIMS_Z x sd of the baseline (EARS's k = 3).
CLAIMS_Z = 3.0
# Floor of the baseline sd in claims: a flat baseline would otherwise alarm on one extra
# claim (detection's own default is 0.5 for case counts; 1 claim is the district choice).
# With fewer than CLAIMS_BASELINE_MONTHS + CLAIMS_GUARD_MONTHS + 1 months of claims on
# record detection refuses the series and the warnings page shows its message.
CLAIMS_MIN_SD = 1.0
# Working days the HR & social security department has to act on a warning.
WARNING_FOLLOWUP_WORKING_DAYS = 5
WARNING_DEPARTMENT = "hrss"
