"""The demo district's fixed shape: areas, departments and staff accounts."""

DISTRICT = ("120199", "滨海民生示范区")
SUBDISTRICTS = ["海港街道", "临港街道", "新城街道", "东疆街道", "保税街道", "生态城街道"]
COMMUNITY_WORDS = ["海韵", "港湾", "金帆", "锦绣", "和顺", "福润", "滨河", "春华", "安泰", "明珠",
                   "紫云", "翠湖", "新港", "海景", "东风", "怡园", "观澜", "丰泽", "瑞景", "康宁",
                   "汇智", "晨曦", "悦海", "长乐", "泰和", "兴华", "惠民", "碧海", "云帆", "朝阳"]
DEPARTMENTS = [
    ("civil_affairs", "民政局"),
    ("hrss", "人力资源和社会保障局"),
    ("health", "卫生健康委员会"),
    ("education", "教育局"),
    ("emergency", "应急管理局"),
    ("market", "市场监督管理局"),
    ("culture", "文化和旅游局"),
    ("petitions", "信访办公室"),
    ("supervision", "区政府督查室"),
]
DEMO_PASSWORD = "minsheng-demo-2026"
# (username, full name, role, department code, area: "district" or subdistrict index)
STAFF = [
    ("admin", "系统管理员", "system_admin", None, "district"),
    ("mz_admin", "民政局管理员", "department_admin", "civil_affairs", "district"),
    ("rs_admin", "人社局管理员", "department_admin", "hrss", "district"),
    ("caseworker", "海港街道社工", "caseworker", "civil_affairs", 0),
    ("caseworker2", "临港街道社工", "caseworker", "civil_affairs", 1),
    ("reviewer", "海港街道审核员", "reviewer", "civil_affairs", 0),
    ("approver", "民政局审批员", "approver", "civil_affairs", "district"),
    ("supervisor", "督查室督查员", "plan_supervisor", "supervision", "district"),
    ("dataentry", "统计填报员", "data_entry", "hrss", "district"),
    ("auditor", "审计员", "auditor", None, "district"),
    ("jobs", "就业服务专员", "caseworker", "hrss", "district"),
    ("doctor", "疾控值班员", "caseworker", "health", "district"),
    ("safety", "安监执法员", "caseworker", "emergency", "district"),
    ("food", "市场监管执法员", "caseworker", "market", "district"),
    ("wenwu", "文物保护专员", "caseworker", "culture", "district"),
    ("wenwu_chief", "文旅局审批员", "approver", "culture", "district"),
]
