"""Fraud screening of job posts: a linear model over character n-grams and jieba words,
with the wording rules kept as explanations.

Training data: `data/screening_posts.csv`, posts written for this purpose (abusive ones in
families of paraphrases: 办证费, 材料保障金, 工服费/管理费, 月入过万 lures, 日结高薪无需经验,
training loans, 刷单, deposits under other names ...; legitimate ones including posts that
*deny* fees: 不收取押金). Model: TF-IDF (sublinear, l2) of character 2-3-grams (digits
folded to 0) and jieba words, L2-regularised logistic regression with balanced class
weights, fitted with scipy's L-BFGS (scikit-learn is not in the project's environment; this
is the same model). `benchmarks/fraud_screening.py` reports precision and recall on
held-out families of paraphrases against the keyword rules alone.

A post is flagged when the model's probability reaches `SCREENING_THRESHOLD` or when it
contains markup; the flags then carry the probability ("screen:0.91") and whichever wording
rules fire ("fee:押金", "unrealistic_pay", ...), so the reviewer sees why. A flagged post is
published only with a written reason, and is never recommended without the flag shown.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import scipy.sparse as sp

HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
DIGITS = re.compile(r"\d+")
# rules, kept as explanations: (flag, pattern)
RULES = (
    ("fee", re.compile(r"押金|保证金|保障金|培训费|培训贷|贷款培训|服装费|工服费|工装费|管理费"
                       r"|体检费|入职费|介绍费|中介费|报名费|信息费|服务费|资料费|材料费|办证费"
                       r"|办卡费|会员费|定金|先交|先付|先充值|垫付|垫资|押款|抵押")),
    ("unrealistic_pay", re.compile(r"(月入|月薪|日薪|日结|日赚)[^，。；]{0,6}"
                                   r"([过上]?\s*[1-9]\d*\s*万"
                                   r"|[五六七八九]百|[1-9]\d{2,}|两千|三千)"
                                   r"|月入过万|无需经验|不用会|零基础月入")),
    ("task_scam", re.compile(r"刷单|补单|返利|佣金秒到|做任务|点赞关注|拍货")),
    ("identity", re.compile(r"银行卡|身份证原件|电话卡|对公账户|征信|网贷|信用卡|分期")),
    ("wage_withheld", re.compile(r"不发工资|押一个月|扣押|年底统一结算|中途离职不结算")),
)


def rule_hits(text: str) -> list[str]:
    """Wording rules that fire, as flags ("fee:押金"); markup as "markup"."""
    flags = []
    for name, pattern in RULES:
        for m in dict.fromkeys(x.group(0) for x in pattern.finditer(text or "")):
            flags.append(f"{name}:{m}" if name in ("fee", "task_scam", "identity") else name)
            if name not in ("fee", "task_scam", "identity"):
                break
    if HTML.search(text or ""):
        flags.append("markup")
    return list(dict.fromkeys(flags))


def features(text: str) -> list[str]:
    from minsheng.employment.matching.text import tokenizer

    t = DIGITS.sub("0", (text or "")[:3000])
    grams = [t[i:i + n] for n in (2, 3) for i in range(len(t) - n + 1)]
    words = [f"w:{w}" for w in tokenizer().lcut(t) if w.strip() and len(w) > 1]
    return grams + words


@dataclass
class Model:
    vocab: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray
    bias: float
    version: str

    def matrix(self, texts) -> sp.csr_matrix:
        return _tfidf([features(t) for t in texts], self.vocab, self.idf)

    def probability(self, texts) -> np.ndarray:
        z = self.matrix(texts) @ self.coef + self.bias
        return 1 / (1 + np.exp(-z))


def _tfidf(docs, vocab, idf) -> sp.csr_matrix:
    indptr, cols, vals = [0], [], []
    for doc in docs:
        counts: dict[int, int] = {}
        for f in doc:
            j = vocab.get(f)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        cols.extend(counts)
        vals.extend(1 + np.log(c) for c in counts.values())
        indptr.append(len(cols))
    x = sp.csr_matrix((np.array(vals, dtype=np.float64), cols, indptr),
                      shape=(len(docs), len(vocab)))
    x = x.multiply(idf[None, :]).tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    return sp.diags(1 / np.where(norms > 0, norms, 1)) @ x


def fit(texts, labels, *, c: float = 10.0, min_df: int = 1) -> Model:
    """TF-IDF + L2 logistic regression (balanced class weights) by L-BFGS."""
    from scipy.optimize import minimize

    docs = [features(t) for t in texts]
    df: dict[str, int] = {}
    for doc in docs:
        for f in set(doc):
            df[f] = df.get(f, 0) + 1
    terms = sorted(f for f, n in df.items() if n >= min_df)
    vocab = {f: i for i, f in enumerate(terms)}
    n = len(docs)
    idf = np.log((1 + n) / (1 + np.array([df[f] for f in terms], dtype=np.float64))) + 1
    x = _tfidf(docs, vocab, idf)
    y = np.where(np.asarray(labels) > 0, 1.0, -1.0)
    pos = (y > 0).sum()
    weight = np.where(y > 0, n / (2 * max(pos, 1)), n / (2 * max(n - pos, 1)))

    def loss(params):
        w, b = params[:-1], params[-1]
        z = y * (x @ w + b)
        value = (weight * np.logaddexp(0, -z)).sum() + 0.5 / c * (w @ w)
        g = -weight * y / (1 + np.exp(z))
        return value, np.concatenate([x.T @ g + w / c, [g.sum()]])

    res = minimize(loss, np.zeros(len(terms) + 1), jac=True, method="L-BFGS-B",
                   options={"maxiter": 500})
    digest = hashlib.sha1("\n".join(f"{t}\t{v}" for t, v in zip(texts, labels,
                                                                  strict=True)).encode())
    return Model(vocab, idf, res.x[:-1], float(res.x[-1]), digest.hexdigest()[:10])


def corpus() -> list[dict]:
    text = resources.files("minsheng.employment").joinpath(
        "data/screening_posts.csv").read_text(encoding="utf-8")
    return [{"text": r["text"], "label": int(r["label"]), "family": r["family"]}
            for r in csv.DictReader(text.splitlines())]


@lru_cache(maxsize=1)
def model() -> Model:
    rows = corpus()
    return fit([r["text"] for r in rows], [r["label"] for r in rows])


def screen(*texts: str, threshold: float | None = None) -> list[str]:
    """Flags for a post: [] when it looks legitimate; otherwise "screen:<p>" followed by
    the wording rules that explain it (and "markup" for HTML)."""
    from minsheng.employment.config import setting

    text = " ".join(t or "" for t in texts)
    if threshold is None:
        threshold = setting("SCREENING_THRESHOLD")
    p = float(model().probability([text])[0])
    hits = rule_hits(text)
    if p >= threshold:
        return [f"screen:{p:.2f}", *hits]
    return ["markup"] if "markup" in hits else []
