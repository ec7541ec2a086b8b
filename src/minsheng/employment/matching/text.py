"""Chinese text to tokens: jieba with a user dictionary of occupation names."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

_lock = threading.Lock()
_tokenizer = None
KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z0-9+#]")
STOPWORDS = frozenset(
    "的 了 和 与 及 或 等 在 有 是 为 对 能 会 我 你 他 我们 公司 岗位 工作 "
    "负责 相关 要求 优先 以上 以下 具有 具备 一定 良好 进行 人员 一名 若干 "
    "招聘 欢迎 提供 享受 待遇 可 并 将 从事 熟悉 能够 经验 年 及以上".split())


def tokenizer():
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                from minsheng.employment.occupations import table

                for name in table().values():
                    for part in re.split(r"[、，,和及]", name):
                        if len(part) >= 2:
                            tok.add_word(part, freq=20000)
                _tokenizer = tok
    return _tokenizer


def add_words(words) -> None:
    tok = tokenizer()
    for word in words:
        if word and len(word) >= 2:
            tok.add_word(word, freq=20000)


def tokenize(text: str) -> list[str]:
    if not text:
        return []
    return [t for t in tokenizer().lcut(text[:5000])
            if t not in STOPWORDS and KEEP.search(t) and not t.isdigit()]


@lru_cache(maxsize=50_000)
def tokenize_cached(text: str) -> tuple[str, ...]:
    """For short repeated fragments (occupation names, skills, majors)."""
    return tuple(tokenize(text))
