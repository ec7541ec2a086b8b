"""National defaults for primary health care and insurance coverage; districts override
them with settings.MINSHENG_PRIMARYCARE = {"NAME": value, ...}. Each number names its source."""

# --- Family-doctor contracts (家庭医生签约) ---------------------------------------------
# 《关于推进家庭医生签约服务的指导意见》(国医改办发〔2016〕1号): a contract runs one year
# ("签约周期原则上为一年，期满后居民可续约或选择其他家庭医生团队").
CONTRACT_MONTHS = 12
# Renewal reminders: contracts ending within this many days are listed (district practice).
RENEWAL_WARNING_DAYS = 30
# Key groups (重点人群) of the same document: the elderly (65+), pregnant women, children
# 0-6, people with disabilities, patients with hypertension, type 2 diabetes, TB and
# severe mental disorders, and low-income people. Those the platform knows from records:
ELDERLY_AGE = 65
CHILD_MAX_AGE = 6
# facts (core.facts) that make a resident a key-group member
KEY_GROUP_FACTS = {"disabled": "core.disabled", "low_income": "assistance.dibao_household"}

# --- Two-way referral (双向转诊) -----------------------------------------------------------
# The receiving facility acknowledges a referral within these hours (district practice,
# after OpenSRP's referral tasks: danger signs within a day).
ACK_HOURS_URGENT = 24
ACK_HOURS_ROUTINE = 72
# A downward referral opens a follow-up for the family-doctor team, due in working days
# (《国家基本公共卫生服务规范（第三版）》: follow-up after discharge within 2 weeks).
DOWN_FOLLOWUP_WORKING_DAYS = 10

# --- Universal insurance enrolment (全民参保) -------------------------------------------
# Insurance type codes (险种类型, AAE140) of the MOHRSS social insurance information
# standard (LD/T 90-2012 社会保险业务基础数据): the schemes an extract may carry.
SCHEMES = {
    "110": "pension_employee",  # 企业职工基本养老保险
    "120": "pension_employee",  # 机关事业单位养老保险
    "170": "pension_resident",  # 城乡居民基本养老保险
    "210": "unemployment",  # 失业保险
    "310": "medical_employee",  # 职工基本医疗保险
    "390": "medical_resident",  # 城乡居民基本医疗保险
    "410": "work_injury",  # 工伤保险
}
# Working age for the uninsured list: 16 (《劳动法》第十五条 minimum working age) up to the
# statutory retirement age (国发〔1978〕104号: 60 for men, 50/55 for women; the gradual
# rise of 2025 is a district setting). One age for both sexes keeps the list simple; a
# district sets its own.
WORKING_AGE_MIN = 16
WORKING_AGE_MAX = 59
# Outreach: the first contact with a resident found uninsured within this many days
# (district practice).
OUTREACH_CONTACT_DAYS = 30
# Probable matches below this probability are not proposed (docs/linkage.md).
MATCH_THRESHOLD = 0.9

# Department that runs family doctors and referrals, and the one that runs insurance.
HEALTH_DEPARTMENT = "health"
INSURANCE_DEPARTMENT = "hrss"
