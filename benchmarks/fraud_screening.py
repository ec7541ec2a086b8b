"""Fraud screening of job posts: precision and recall on held-out paraphrase families.

Labelled set: src/minsheng/employment/data/screening_posts.csv (written for this purpose,
both classes, families of paraphrases). Split by family, so that no paraphrase of a test
post is in training: a fixed held-out split (a quarter of the families of each class) and
4-fold cross-validation over families. Compared:
  before = the keyword list the platform had (defaults.FRAUD_PATTERNS + 月入/日结…万 rule);
  rules  = the wording rules now kept as explanations (screening.RULES), alone;
  model  = the screening model (TF-IDF char n-grams + jieba words, logistic regression).

    /work/main/.venv/bin/python benchmarks/fraud_screening.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

OLD_PATTERNS = ("押金", "保证金", "培训费", "培训贷", "贷款培训", "服装费", "体检费自理", "入职费",
                "介绍费", "先交", "报名费", "刷单", "垫付", "资料费", "办卡费")


def old_rules(text: str) -> bool:
    return (any(p in text for p in OLD_PATTERNS)
            or bool(re.search(r"(日结|月入)\s*[过上]?\s*[1-9]\d*\s*万", text)))


def pr(pred, y) -> tuple[float, float]:
    pred, y = np.asarray(pred, bool), np.asarray(y, bool)
    tp = (pred & y).sum()
    return tp / max(pred.sum(), 1), tp / max(y.sum(), 1)


def main() -> None:
    from minsheng.employment import screening

    rows = screening.corpus()
    texts = np.array([r["text"] for r in rows])
    y = np.array([r["label"] for r in rows])
    fam = np.array([r["family"] for r in rows])
    print(f"labelled posts: {len(rows)} ({y.sum()} abusive, {len(y) - y.sum()} legitimate), "
          f"{len(set(fam))} paraphrase families")
    rng = np.random.default_rng(12)
    families = {c: sorted(set(fam[y == c])) for c in (0, 1)}
    for c in families:
        rng.shuffle(families[c])
    folds = 4
    threshold = 0.5
    results = {"before: keyword list": [], "rules (explanations) alone": [], "model": []}
    for k in range(folds):
        test_fams = {f for c in (0, 1) for i, f in enumerate(families[c]) if i % folds == k}
        test = np.isin(fam, list(test_fams))
        model = screening.fit(list(texts[~test]), list(y[~test]))
        p = model.probability(list(texts[test]))
        results["model"].append(pr(p >= threshold, y[test]))
        results["before: keyword list"].append(pr([old_rules(t) for t in texts[test]], y[test]))
        results["rules (explanations) alone"].append(
            pr([bool(screening.rule_hits(t)) for t in texts[test]], y[test]))
        if k == 0:
            held = (test.sum(), sorted(test_fams))
            first = {name: r[0] for name, r in results.items()}
    print(f"\nheld-out split (fold 1): {held[0]} posts from families {', '.join(held[1])}")
    print(f"{'method':<30}{'precision':>10}{'recall':>8}")
    for name, (p, r) in first.items():
        print(f"{name:<30}{p:>10.3f}{r:>8.3f}")
    print(f"\n{folds}-fold cross-validation over families (mean):")
    print(f"{'method':<30}{'precision':>10}{'recall':>8}")
    for name, vals in results.items():
        p, r = np.mean(vals, axis=0)
        print(f"{name:<30}{p:>10.3f}{r:>8.3f}")
    issue = ["入职前需收取办证费用300元", "需缴纳材料保障金500元", "工服费200元，另收管理费",
             "月入过万，轻松上手", "日结高薪，无需经验"]
    full = screening.model()
    print("\nthe issue's paraphrases (shipped model, trained on every labelled post; "
          "keyword list):")
    for t, p in zip(issue, full.probability(issue), strict=True):
        print(f"  {t:<24} model p={p:.2f}  keyword list: {'flag' if old_rules(t) else 'pass'}")


if __name__ == "__main__":
    main()
