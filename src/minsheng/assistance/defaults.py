"""National defaults for social assistance. Every number here is district configuration:
a district overrides any of them with ``settings.MINSHENG_ASSISTANCE = {"NAME": value}``.

Sources (abbreviations used in the comments below):
- SAIM: 《社会救助暂行办法》(国务院令第649号, 2014, revised by 国务院令第709号, 2019)
- DBAC: 《最低生活保障审核确认办法》(民发〔2021〕57号)
- TKRD: 《特困人员认定办法》(民发〔2021〕43号)
- LSJZ: 《关于进一步加强和改进临时救助工作的意见》(民发〔2018〕23号)
- DSR:  《关于加强低收入人口动态监测做好分层分类社会救助工作的意见》(中办发, 2023)
- ISSUE: the district's own rule as written in issue #5 (no national figure)
"""

# ---- dibao procedure (working days unless the name says DAYS) ----
# DBAC art. 14: investigation starts within 3 working days of acceptance.
INVESTIGATION_START_WORKING_DAYS = 3
# DBAC art. 15 (home visit by at least two staff).
MIN_INVESTIGATORS = 2
# ISSUE / DBAC art. 17: economic verification requested must start within 3 working days.
VERIFICATION_START_WORKING_DAYS = 3
# DBAC art. 21: public notice in the community for 7 (calendar) days.
NOTICE_DAYS = 7
# DBAC art. 22: county-level decision within 10 working days of receiving the file.
DECISION_WORKING_DAYS = 10
# DBAC art. 23: written reasons within 3 working days of a refusal.
REFUSAL_NOTICE_WORKING_DAYS = 3
# DBAC art. 24: whole process within 30 working days of acceptance; 45 in special cases.
TOTAL_WORKING_DAYS = 30
TOTAL_WORKING_DAYS_EXTENDED = 45
# ISSUE (DBAC art. 25 allows delegating approval to the subdistrict; provinces set 20).
TOTAL_WORKING_DAYS_DELEGATED = 20
# A clock is "due soon" (reminder) within this many working days of its deadline.
REMIND_WORKING_DAYS = 2

# ---- dibao eligibility and amounts ----
# Local dibao standard in yuan per person per month: set by the municipal government
# (SAIM art. 10). Placeholder for the demo district (Tianjin 2025: 1,230 yuan).
DIBAO_STANDARD = 1230
# "difference" (standard - per-capita income) x members (SAIM art. 13), or "tiers".
AMOUNT_METHOD = "difference"
# Tiers as (per-capita income below, monthly amount per person): used when AMOUNT_METHOD is
# "tiers". ISSUE: district configuration.
AMOUNT_TIERS = ((300, 1000), (600, 700), (900, 400), (1230, 150))
# DBAC art. 9 lists income items excluded from household income.
INCOME_EXCLUSIONS = (
    "veterans_benefits",      # 优抚对象抚恤金、补助金
    "family_planning_reward",  # 计划生育奖励与扶助金
    "scholarship",            # 奖学金、助学金
    "bravery_award",          # 见义勇为等奖励性收入
    "assistance_payment",     # 社会救助金
    "pension_central_basic",  # 城乡居民基本养老保险中的基础养老金
)
# DBAC art. 10: necessary costs that may be deducted (disability, serious illness, ...).
ALLOWED_DEDUCTIONS = ("disability_cost", "serious_illness_cost", "work_expenses")
# Asset limits (DBAC art. 11 leaves the figures to provinces; ISSUE: district values).
# Deposits and securities per person, in months of the standard.
DEPOSITS_MONTHS_PER_PERSON = 24
# Real estate: number of properties allowed besides the home lived in.
EXTRA_PROPERTIES_ALLOWED = 0
# Vehicles: value above which a household vehicle disqualifies (disability vehicles exempt).
VEHICLE_VALUE_LIMIT = 0
# Business ownership: registered capital above which it disqualifies.
BUSINESS_CAPITAL_LIMIT = 0
# DSR: low-income (near-dibao) household below 1.5 x the dibao standard.
NEAR_DIBAO_FACTOR = 1.5
# DBAC art. 36: gradual exit when employment lifts income above the standard, up to 6 months.
GRADUAL_EXIT_MONTHS = 6
# Tolerance (yuan per month) before a registry figure above the declaration is reported
# (monthly sources: wages, housing fund, tax, deposits, vehicles, business capital; counts
# such as properties have none). No national or provincial rule sets such a margin: the
# 审核确认办法 (民发〔2021〕57号) asks that income be verified, not how close a registry figure
# must be. 100 yuan is a district policy choice (rounding of contribution bases and
# declared figures), to be confirmed by the district's civil affairs bureau.
VERIFICATION_TOLERANCE = 100
# Probable links (minsheng.linkage) estimate their model from the data they are given:
# besides the members and their candidate registry rows, up to this many other people of
# the people registry and other registry rows are passed as context (a namesake who is
# not a member can then take the link). Sample sizes of docs/linkage.md's estimation;
# larger is slower (about 25 s at 20,000 x 200,000), smaller gives weaker weights.
VERIFICATION_LINKAGE_CONTEXT = 20000
# Probability a probable link must reach to be suggested (link_people's threshold).
VERIFICATION_LINK_THRESHOLD = 0.9

# ---- dynamic management ----
# DBAC art. 33: yearly for stable households and tekun persons, half-yearly for households
# with working-age members or irregular income.
REVIEW_MONTHS_STABLE = 12
REVIEW_MONTHS_WORKING_AGE = 6
# ISSUE: a triggered review within 3 months of a death or registry change.
REVIEW_MONTHS_TRIGGERED = 3
WORKING_AGE = (16, 60)
# SAIM art. 68: fines of 1 to 3 times the amount obtained by fraud.
FRAUD_FINE_FACTORS = (1, 3)
# SAIM art. 45: three refusals of suitable jobs -> that member's share is removed.
JOB_OFFER_REFUSALS = 3
# TKRD art. 27 (district re-check of subdistrict decisions): at least 30% drawn.
SPOT_CHECK_SHARE = 0.30

# ---- temporary assistance (LSJZ) ----
TEMPORARY_TOTAL_WORKING_DAYS = 15
# Amount limits as multiples of the monthly dibao standard, by approval level.
TEMPORARY_SUBDISTRICT_MAX_MONTHS = 3
TEMPORARY_DISTRICT_MAX_MONTHS = 12
# Emergency ("help first") grants: paperwork to be completed within this many working days.
TEMPORARY_EMERGENCY_PAPERWORK_WORKING_DAYS = 5
# Expenditure type: per-capita income test against last year's local average disposable
# income per month (yuan). ISSUE: district figure.
LAST_YEAR_AVERAGE_MONTHLY_INCOME = 4200

# ---- extreme-poverty support (TKRD) ----
TEKUN_INVESTIGATION_WORKING_DAYS = 15  # TKRD art. 12
TEKUN_NOTICE_DAYS = 7  # TKRD art. 14
TEKUN_DECISION_WORKING_DAYS = 15  # TKRD art. 15
TEKUN_REASSESS_WORKING_DAYS = 10  # TKRD art. 20 (reassessment after a change)
TEKUN_ELDER_AGE = 60  # TKRD art. 6
TEKUN_MINOR_AGE = 16  # TKRD art. 6
TEKUN_SUPPORT_TO_AGE = 18  # TKRD art. 6: to 18, longer while in school
# Basic living support as a multiple of the local dibao standard. The State Council rules
# (特困人员救助供养办法) leave the amount to the locality; 1.3x is a common local choice.
TEKUN_AMOUNT_MULTIPLE = 1.3
# TKRD art. 6: disability (kind, grade) pairs that mean no labour capacity.
TEKUN_DISABILITY = {"intellectual": (1, 2, 3), "mental": (1, 2, 3), "physical": (1, 2),
                    "visual": (1,)}
# 《特困人员生活自理能力评估》(TKRD annex): 6 activities; 1-3 failed partly, >= 4 fully.
ADL_PARTLY_FROM = 1
ADL_FULLY_FROM = 4

# Public status lookups (reference + ID number) per client address per hour: enough for a
# family checking now and then, too few to guess references (a district choice; issue 20).
PUBLIC_STATUS_LOOKUPS_PER_HOUR = 30
