import pytest
from hypothesis import given
from hypothesis import strategies as st

from planwatch.lib.text import collapse_ws, nfc, search_key, strip_accents

# Vietnamese-heavy alphabet so hypothesis spends its time on the interesting characters.
VIETNAMESE = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯYđĐqQhH hoáàảãạuýỳỷỹỵ\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b\n\xa0"
vietnamese_text = st.text(alphabet=VIETNAMESE) | st.text()


@pytest.mark.parametrize(
    "new_style, old_style",
    [
        ("hoá", "hóa"),
        ("hoà", "hòa"),
        ("xoá", "xóa"),
        ("thuỷ", "thủy"),
        ("Văn hoá", "Văn hóa"),
        ("khoẻ", "khỏe"),
        ("Thuỵ Điển", "Thụy Điển"),
        ("Uỷ ban", "Ủy ban"),
        ("HOÀ", "HÒA"),
        ("Chuyển đổi số, số hoá, xoá mù", "Chuyển đổi số, số hóa, xóa mù"),
    ],
)
def test_it_moves_the_tone_of_an_open_oa_oe_uy_to_the_first_vowel(new_style, old_style):
    assert nfc(new_style) == old_style


@pytest.mark.parametrize("word", ["hoàn", "toán", "quyết", "khoản", "hoặc", "quý", "Quỳ", "khuỷu", "ngoài", "xoáy", "huỳnh"])
def test_it_leaves_the_tone_where_a_final_sound_follows_or_qu_is_the_onset(word):
    assert nfc(word) == word


def test_it_composes_decomposed_text():
    assert nfc("ho\u0061\u0300") == "hòa" == nfc("h\u00f2a")


def test_it_collapses_newlines_and_nbsp():
    assert nfc("  Tháng\n9/2025\xa0\t ") == "Tháng 9/2025"


def test_it_drops_zero_width_spaces():
    assert collapse_ws("Sở\u200b Y tế\ufeff") == "Sở Y tế"


def test_it_strips_accents_and_maps_d_with_stroke():
    assert strip_accents("Đổi mới sáng tạo, đột phá") == "Doi moi sang tao, dot pha"


def test_search_key_ignores_accents_case_and_spacing():
    assert search_key("Chuyển đổi SỐ") == search_key("chuyen  doi so") == "chuyen doi so"


def test_search_key_equates_both_tone_placements():
    assert search_key("Văn hoá") == search_key("Văn hóa")


@given(vietnamese_text)
def test_nfc_is_idempotent(s):
    assert nfc(nfc(s)) == nfc(s)


@given(vietnamese_text)
def test_search_key_is_idempotent(s):
    assert search_key(search_key(s)) == search_key(s)


@given(vietnamese_text)
def test_nfc_and_collapse_leave_no_double_or_edge_spaces(s):
    for out in (nfc(s), collapse_ws(s)):
        assert "  " not in out and out == out.strip()


@pytest.mark.parametrize(
    "family, given, fallback, name",
    [("Nguyễn Thị", "Lan", "canbo", "Nguyễn Thị Lan"), ("Trần", "", "x", "Trần"), ("", "Hùng", "x", "Hùng"),
     ("", "", "canbo.thientin", "canbo.thientin"), (None, None, "", ""), ("  Lê  Minh ", "Tuấn", "", "Lê Minh Tuấn")],
)  # fmt: skip
def test_a_vietnamese_name_reads_family_name_first(family, given, fallback, name):
    from planwatch.lib.text import vn_full_name

    assert vn_full_name(family, given, fallback) == name


def test_strip_accents_fast_path_equals_the_decomposition_rule():
    """The translate table and cache give what NFD → drop marks → NFC gives, for any text."""
    import random
    import unicodedata

    from planwatch.lib.text import _strip_slow, strip_accents

    samples = ["Đổi mới sáng tạo", "hoà", unicodedata.normalize("NFD", "Chuyển đổi số"), "≥ 80%", "İstanbul",
               "ﬁ", "한국어", unicodedata.normalize("NFD", "한국"), "Ω̃", ""]
    rnd = random.Random(7)
    samples += ["".join(chr(rnd.randrange(0x20, 0x3000)) for _ in range(rnd.randrange(1, 9))) for _ in range(3000)]
    for s in samples:
        assert strip_accents(s) == _strip_slow(s), repr(s)


def test_collapse_ws_equals_the_regex_rule():
    import random
    import re

    from planwatch.lib.text import collapse_ws

    ws = re.compile(r"\s+")
    inv = re.compile("[\u200b\u2060\ufeff]")
    pool = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u2060\u3000\ufeffab ơ1"
    rnd = random.Random(3)
    for _ in range(5000):
        s = "".join(rnd.choice(pool) for _ in range(rnd.randrange(0, 12)))
        assert collapse_ws(s) == ws.sub(" ", inv.sub("", s)).strip(), repr(s)
