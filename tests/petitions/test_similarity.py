"""Repeat detection on Chinese wording: reworded letters on the same matter score above
the threshold, different matters of the same person below it."""

from minsheng.petitions.defaults import REPEAT_SIMILARITY
from minsheng.petitions.similarity import best_match, normalise, similarity

SAME = [
    ("港城建设工地包工头拖欠我四个月工资两万三千元，请求帮助追讨。",
     "关于港城建设工地拖欠工资问题：包工头欠我工资两万三千元至今未付，再次请求追讨。"),
    ("我家低保申请被街道退回，爱人失业半年，请求重新核对家庭收入。",
     "低保申请被退回的事，我爱人已经失业半年多，家庭收入核对有误，请求重新审核。"),
    ("和顺社区三号楼消防通道长期被私家车占用，请求督促清理。",
     "和順社區三號樓消防通道被私家車長期佔用，請求督促清理。"),  # traditional characters
]
DIFFERENT = [
    ("港城建设工地包工头拖欠我四个月工资两万三千元，请求帮助追讨。",
     "楼下新开的烧烤店每天营业到凌晨两点，油烟和噪音很大，请求查处。"),
    ("我家低保申请被街道退回，请求重新核对家庭收入。",
     "孩子今年上一年级被分到五公里外的学校，请求就近入学。"),
]


def test_reworded_same_matters_match():
    for a, b in SAME[:2]:
        assert similarity(a, b) >= REPEAT_SIMILARITY, (a, b)


def test_different_matters_do_not():
    for a, b in DIFFERENT:
        assert similarity(a, b) < REPEAT_SIMILARITY / 2, (a, b)


def test_width_case_and_punctuation_do_not_matter():
    assert normalise("ＡＢＣ，１２３ Hello!") == "abc123hello"
    assert similarity("Wage ARREARS 欠薪", "wage arrears，欠薪") == 1.0


def test_traditional_characters_are_a_known_limit():
    # Simplified and traditional forms are different characters: a letter in traditional
    # script matches its simplified twin only partly (documented in docs/petitions.md).
    a, b = SAME[2]
    assert 0.1 < similarity(a, b) < 1.0


def test_best_match_picks_the_most_similar_over_the_threshold():
    text = SAME[0][1]
    candidates = [(1, DIFFERENT[0][1]), (2, SAME[0][0]), (3, "")]
    assert best_match(text, candidates, REPEAT_SIMILARITY)[0] == 2
    assert best_match(DIFFERENT[1][1], candidates[:1], REPEAT_SIMILARITY) is None


def test_empty_text():
    assert similarity("", "abc") == 0.0
