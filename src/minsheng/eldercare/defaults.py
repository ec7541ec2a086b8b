"""National defaults of the eldercare module, each with its source. A district overrides
them with settings.MINSHENG_ELDERCARE = {...}."""

# The department whose staff decide allowances, pay them and register institutions.
DEPARTMENT_CODE = "civil_affairs"

# Older person: aged 60 and over (《中华人民共和国老年人权益保障法》art. 2).
ELDER_AGE = 60

# Nursing beds as a share of institution beds: national goal >= 55% by 2025
# (国务院《"十四五"国家老龄事业发展和养老服务体系规划》, 国发〔2021〕35号, table of main
# indicators: 养老机构护理型床位占比 55%).
NURSING_SHARE_GOAL = 0.55

# Old-age allowance (高龄津贴): monthly yuan from each age. The national notice leaves the
# thresholds and amounts to provinces (民政部 财政部 全国老龄办《关于建立健全经济困难的高龄、
# 失能等老年人补贴制度的通知》, 民发〔2014〕113号); these are the tiers many provinces use
# (80-89, 90-99, 100+), set by the district.
OLD_AGE_ALLOWANCE = {80: 100, 90: 200, 100: 500}

# Service subsidy for older people in economic difficulty (养老服务补贴, 民发〔2014〕113号):
# from this age, for members of a dibao household (fact assistance.dibao_household).
SERVICE_SUBSIDY_AGE = 60
SERVICE_SUBSIDY_AMOUNT = 100

# Care subsidy for disabled older people (护理补贴, 民发〔2014〕113号): from this age, for
# holders of a valid disability certificate (fact core.disabled).
CARE_SUBSIDY_AGE = 60
CARE_SUBSIDY_AMOUNT = 200

# A recipient matched to a death or move-out record below this probability is not
# proposed at all (minsheng.linkage threshold; a proposal still needs a caseworker).
DEATH_LINK_THRESHOLD = 0.9
