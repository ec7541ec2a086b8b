"""National defaults of food and drug safety supervision; a district overrides them in
`settings.MINSHENG_FOODSAFETY`. Each number names its source."""

# Department whose staff supervise food and drug safety (市场监督管理局).
DEPARTMENT_CODE = "market"

# Minimum routine inspections per year by risk grade. CFDA《食品生产经营风险分级管理办法
# (试行)》(2016) sets A: at least 1, B: 1-2, C: 2-3, D: 3-4 a year; the guarantee uses the
# minimum of each range. SAMR Order No. 49 (《食品生产经营监督检查管理办法》, 2022) keeps
# frequency tied to the risk grade and lets provinces set it: a province's rule overrides.
GRADE_MIN_INSPECTIONS = {"A": 1, "B": 1, "C": 2, "D": 3}

# Grade from the sum of static and dynamic risk points (2016 rule, Art. 12):
# 0-30 A, 30-45 B, 45-60 C, above 60 D.
GRADE_BANDS = ((30, "A"), (45, "B"), (60, "C"))

# Static risk points per category (the rule's category tables, condensed): higher for
# infant and special foods, for canteens feeding pupils and central kitchens.
CATEGORY_POINTS = {"production": 25, "sales": 10, "catering": 20, "school_canteen": 30,
                   "central_kitchen": 30, "online_catering": 15, "special_food": 35,
                   "pharmacy": 20, "device_retail": 10}
SCALE_POINTS = {"small": 0, "medium": 3, "large": 6}
# Population served: (at least, points).
POPULATION_POINTS = ((1000, 6), (300, 3))
# Dynamic points per event in the last 12 months.
DYNAMIC_POINTS = {"critical_failure": 15, "failed_inspection": 10, "unqualified_sample": 10,
                  "enforcement": 10}
FAILED_SCORE = 60  # an inspection below this score failed

# Licence expiry alert (the licence must be renewed 30 working days before expiry, Food
# Business Licensing Measures Art. 35; the platform warns 60 days ahead).
LICENCE_ALERT_DAYS = 60

# Rectification order: days given to rectify (set in the order; 食品安全法 Art. 126 orders
# correction without a fixed period - this is the district's default).
RECTIFY_DAYS = 15

# "Double random, one public": results published within 20 working days of being produced
# (《企业信息公示暂行条例》Art. 8 / SAMR double-random rules).
PUBLISH_WORKING_DAYS = 20
INSPECTORS_PER_CHECK = 2  # at least two law-enforcement officers (行政处罚法 Art. 42)

# Unqualified sample: verification and handling completed within 90 days of the result
# (《食品安全抽样检验管理办法》SAMR Order No. 15, 2019, Art. 45).
UNQUALIFIED_HANDLE_DAYS = 90

# Catering quantified grading (餐饮服务食品安全监督量化分级): score bands of the
# dynamic rating published at the door: 优秀 / 良好 / 一般.
RATING_BANDS = ((90, "excellent"), (75, "good"), (60, "fair"))

# Market-regulation administrative penalty procedure (《市场监督管理行政处罚程序规定》, SAMR
# Order No. 2 as amended 2021/2022): decide whether to file a case within 15 working days of
# finding the clue (Art. 18; extendable by 15 with approval), and decide the case within 90
# days of filing (Art. 64; extendable by 30 with approval).
ENFORCEMENT_FILE_WORKING_DAYS = 15
ENFORCEMENT_DECIDE_DAYS = 90
