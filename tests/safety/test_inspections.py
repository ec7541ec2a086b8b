import pytest

from minsheng.core.errors import ValidationFailed
from minsheng.safety.models import InspectionCheck
from minsheng.safety.services import inspections as svc
from tests import factories


@pytest.mark.django_db
def test_draw_is_reproducible_and_respects_conflicts(world):
    for i in range(10):
        factories.organization(world["areas"]["c12"], f"抽查企业{i}")
    inspectors = [factories.user(f"insp{i}", "caseworker", world["areas"]["district"],
                                 department=world["dept"]) for i in range(3)]
    svc.conflict_record(actor=world["chief"], inspector=inspectors[0],
                        enterprise=world["ent"], reason="近亲属任职")
    with pytest.raises(ValidationFailed):
        svc.plan_create(actor=world["chief"], name="x", area=world["areas"]["district"],
                        department=world["dept"], sample_size=3, inspectors_per_check=1)
    plan = svc.plan_create(actor=world["chief"], name="2026年第一批", sample_size=12,
                           area=world["areas"]["district"], department=world["dept"])
    svc.plan_draw(actor=world["chief"], plan=plan, seed=42)
    record = plan.draw_record
    again = svc.draw(plan, record["enterprises"], record["inspectors"],
                     {tuple(c) for c in record["conflicts"]}, 42)
    assert [list(x) for x in again] == [list(x) for x in record["assignment"]]
    checks = InspectionCheck.objects.filter(plan=plan)
    assert checks.count() == 12
    for check in checks:
        team = set(check.inspectors.values_list("id", flat=True))
        assert len(team) == 2
        if check.enterprise_id == world["ent"].pk:
            assert inspectors[0].pk not in team
    with pytest.raises(ValidationFailed):
        svc.plan_draw(actor=world["chief"], plan=plan)
    pub = svc.plan_publish_results(actor=world["chief"], plan=plan)
    assert pub.kind == "inspection"
