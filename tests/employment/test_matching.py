import numpy as np
import pytest

from minsheng.employment import matchdata
from minsheng.employment.matching import synthetic
from minsheng.employment.matching.engine import MatchIndex
from tests.employment.conftest import make_posting, make_seeker


def test_engine_beats_both_baselines_on_planted_pairs():
    data = synthetic.generate(600, 400, seed=3)
    index = MatchIndex(data.postings, data.commute)
    q = index.prepare(data.seekers)
    result = synthetic.evaluate(data, index, q, np.arange(200))
    engine = result["engine"]
    for baseline in ("BM25 text only", "occupation filter only"):
        assert engine["recall@10"] > result[baseline]["recall@10"]
        assert engine["ndcg@10"] > result[baseline]["ndcg@10"]


def test_exposure_cap_limits_how_often_a_post_is_recommended():
    data = synthetic.generate(800, 60, seed=5)
    index = MatchIndex(data.postings, data.commute)
    q = index.prepare(data.seekers)
    s, p, v = index.batch(q, top=10, workers=1)
    counts = np.bincount(p, minlength=index.n)
    assert (counts <= index.cap).all()
    assert len(s) and (np.bincount(s) <= 10).all()


@pytest.mark.django_db
def test_recommendations_have_chinese_reasons_and_respect_hard_constraints(world):
    good = make_posting(world)
    make_posting(world, employer=world["far"], title="远方快递员")  # too far for 30 minutes
    make_posting(world, title="高学历快递员", education_min=5)
    seeker = make_seeker(world, max_commute_minutes=30)
    rows = matchdata.recommend(seeker)
    assert [r["posting_id"] for r in rows] == [good.pk]
    reasons = rows[0]["reasons"]
    assert "职业相符" in reasons and "技能重合 3/3" in reasons
    assert any(r.startswith("通勤 ") and r.endswith(" 分钟") for r in reasons)


@pytest.mark.django_db
def test_public_welfare_posts_only_for_key_groups(world):
    make_posting(world, public_welfare=True)
    assert matchdata.recommend(make_seeker(world, key_groups=[]), top=5) == []
    assert len(matchdata.recommend(make_seeker(world, key_groups=["dibao"]), top=5)) == 1


@pytest.mark.django_db
def test_batch_task_stores_recommendations_with_progress(world):
    from minsheng.core.access import system_actor
    from minsheng.core.models import JobProgress
    from minsheng.employment import tasks

    make_posting(world)
    seeker = make_seeker(world)
    job = tasks.match_start(actor=system_actor(), top=5, background=False)
    tasks.match_run(job.pk, 5)
    job = JobProgress.objects.get(pk=job.pk)
    assert job.state == "done" and job.done == 1
    assert seeker.recommendations.count() == 1
