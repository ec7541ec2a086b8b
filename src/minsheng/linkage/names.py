"""Chinese personal names: normalisation, surname / given-name split, toneless pinyin.

All functions take and return whole columns; per-record work is a dictionary lookup on the
(few thousand) distinct names and characters, never a pypinyin call per record.
"""

from __future__ import annotations

import pandas as pd

from . import text

# Two-character surnames (复姓) common enough to meet in a registry; any other name is split
# after its first character.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 澹台 轩辕 端木 "
    "独孤 南宫 西门 百里 呼延 万俟 钟离 宗政 濮阳 太史 申屠 公冶 赫连 闻人 司空 拓跋 东郭 "
    "左丘 第五 梁丘 公羊 段干 羊舌 微生 子车 颛孙 巫马 公西 漆雕 乐正 壤驷 谷梁 拓拔".split())

_PINYIN: dict[str, str] = {}


def normalise(names: pd.Series) -> pd.Series:
    """NFKC, no whitespace, no separator dots (the 间隔号 of minority names in its
    look-alikes), empty as missing."""
    return text.clean(names, r"[\s·•・.．\x{00b7}\x{2022}\x{2027}\x{30fb}]")


def split(names: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(surname, given name) of normalised names; a one-character name is a surname with
    a missing given name."""
    two = names.str.slice(0, 2).isin(COMPOUND_SURNAMES).fillna(False) & (names.str.len() > 2)
    surname = names.str.slice(0, 1).where(~two, names.str.slice(0, 2))
    given = names.str.slice(1).where(~two, names.str.slice(2))
    return surname, given.mask(given.str.len() == 0)


def pinyin(names: pd.Series) -> pd.Series:
    """Toneless pinyin of each name, syllables separated by spaces (张伟 -> 'zhang wei');
    characters without a reading (Latin letters, digits) stand for themselves, lower-case.
    Homophones (张/章, 伟/玮) give the same string."""
    from pypinyin import Style, lazy_pinyin

    uniques = pd.unique(names.dropna())
    chars = {c for name in uniques for c in name} - _PINYIN.keys()
    for c in chars:
        _PINYIN[c] = ("".join(lazy_pinyin(c, style=Style.NORMAL, errors="default"))
                      or c).lower()
    table = {name: " ".join(_PINYIN[c] for c in name) for name in uniques}
    return names.map(table).astype("string")
