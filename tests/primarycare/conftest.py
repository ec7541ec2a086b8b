import datetime

import pytest

from minsheng.primarycare import services
from tests import factories


@pytest.fixture
def pc(areas):
    """A health department with a doctor, an hrss department with an insurance worker, a
    clinic per subdistrict, two hospitals, one alliance, a team in 甲一社区."""
    d = areas["district"]
    health = factories.department(d, "health", "卫健委")
    hrss = factories.department(d, "hrss", "人社局")
    civil = factories.department(d, "civil_affairs", "民政局")
    clinic1 = factories.organization(areas["s1"], "甲街道社区卫生服务中心", kind="clinic")
    clinic2 = factories.organization(areas["s2"], "乙街道社区卫生服务中心", kind="clinic")
    hospital = factories.organization(areas["s2"], "区人民医院", kind="hospital")
    outsider = factories.organization(areas["s2"], "外区医院", kind="hospital")
    doctor = factories.actor("doctor", "caseworker", d, department=health)
    services.alliance_create(actor=factories.SYSTEM(), name="区医联体", lead=hospital,
                             members=[clinic1, clinic2])
    team = services.team_create(actor=doctor, name="甲一团队", clinic=clinic1, area=areas["c11"],
                                leader="王医生")
    return {**areas, "health": health, "hrss": hrss, "clinic1": clinic1, "clinic2": clinic2,
            "hospital": hospital, "outsider": outsider, "team": team, "doctor": doctor,
            "doctor_s1": factories.actor("doc1", "caseworker", areas["s1"], department=health),
            "doctor_s2": factories.actor("doc2", "caseworker", areas["s2"], department=health),
            "insurer": factories.actor("ins", "caseworker", d, department=hrss),
            "insurer_s2": factories.actor("ins2", "caseworker", areas["s2"], department=hrss),
            "civil": factories.actor("mz", "caseworker", d, department=civil),
            "auditor": factories.actor("aud", "auditor", d),
            "admin": factories.actor("admin", "system_admin", d)}


def write_extract(path, rows, header=("证件号码", "姓名", "险种类型", "参保日期", "终止日期")):
    lines = [",".join(header)] + [",".join(str(c) for c in r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


D = datetime.date
