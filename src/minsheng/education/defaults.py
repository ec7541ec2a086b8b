"""National defaults of the education module; a district overrides them with
settings.MINSHENG_EDUCATION = {...}. Each number names its source."""

# Department whose staff take the bureau's decisions (school register, write-offs, aid).
DEPARTMENT_CODE = "education"

# Compulsory-school age: a child starts grade 1 the September after turning 6 by 31 August
# (《义务教育法》 art. 11: "凡年满六周岁的儿童" ; most provinces set 31 August as the cut-off).
SCHOOL_AGE_CUTOFF = (8, 31)  # (month, day)
COMPULSORY_YEARS = 9  # 《义务教育法》 art. 2: nine-year compulsory education
SCHOOL_YEAR_START = (9, 1)  # the school year starts on 1 September

# Preschool gross enrolment: residents aged 3-5 (教育部《教育统计指标解释》 毛入园率 uses
# the 3-5 age group for three-year preschool education).
PRESCHOOL_AGES = (3, 5)

# Dropout-control steps, in working days from the start of each step (控辍保学 practice of
# 《关于进一步加强控辍保学提高义务教育巩固水平的通知》 国办发〔2017〕72号: verify and visit
# promptly, persuade within the term; districts set their own numbers).
VERIFY_WORKING_DAYS = 5
VISIT_WORKING_DAYS = 10
PERSUADE_WORKING_DAYS = 20
# Months a returned child is observed before the case may be written off (common local
# rule: one term, about three months).
OBSERVE_MONTHS = 3

# Linkage: a registry child and a roll entry are proposed as the same person from this
# match probability up (docs/linkage.md: the engine's default).
MATCH_THRESHOLD = 0.9

# Standardisation thresholds (《义务教育学校办学标准》 and 《中小学校教职工编制标准》):
# students per class at most 45 in primary and 50 in junior secondary; students per
# teacher at most 19 (primary) and 13.5 (junior secondary).
MAX_CLASS_SIZE = {"primary": 45, "junior": 50, "nine_year": 50, "kindergarten": 35,
                  "senior": 50, "vocational": 50}
MAX_STUDENTS_PER_TEACHER = {"primary": 19.0, "junior": 13.5, "nine_year": 13.5,
                            "kindergarten": 15.0, "senior": 12.5, "vocational": 20.0}

# Preschool aid per child and school year in yuan, by the basis of eligibility
# (《学前教育资助管理办法》 财教〔2021〕 leaves the amount to provinces; demo figures).
PRESCHOOL_AID_AMOUNTS = {"dibao": 1500, "tekun": 2000, "disabled": 1500}
