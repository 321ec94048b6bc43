"""Vietnamese alphabetical order (vn_sort_key)."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planwatch.lib.text import strip_accents, vn_sort_key

# Letters without diacritics in the order of the Vietnamese alphabet (plus f, j, w, z).
PLAIN = "abcdefghijklmnopqrstuvwxyz"
SYLLABLE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
TONED = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵ"
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
words = st.text(alphabet=SYLLABLE_LETTERS + TONED, min_size=1, max_size=8)


def test_the_alphabet_is_in_vietnamese_order():
    letters = list("yxvưutsrqpơôonmlkihgêeđdcbâăa")
    assert sorted(letters, key=vn_sort_key) == list("aăâbcdđeêghiklmnoôơpqrstuưvxy")


def test_d_with_stroke_comes_after_d_and_before_e_not_after_x():
    names = ["Xã Xốp", "Xã Đăk Hà", "Xã Dung", "Xã Ea", "Xã Ya Ly"]
    assert sorted(names, key=vn_sort_key) == ["Xã Dung", "Xã Đăk Hà", "Xã Ea", "Xã Xốp", "Xã Ya Ly"]


def test_tones_order_ngang_huyen_hoi_nga_sac_nang():
    assert sorted(["má", "mạ", "mả", "ma", "mã", "mà"], key=vn_sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_letters_decide_before_tones():
    # "Bà Rịa" before "Ba Tơ": r < t matters more than the tone on the first word.
    assert sorted(["Ba Tơ", "Bà Rịa", "Ba Tô"], key=vn_sort_key) == ["Bà Rịa", "Ba Tô", "Ba Tơ"]


def test_a_shorter_word_comes_first():
    assert sorted(["Anh", "An Phú", "An"], key=vn_sort_key) == ["An", "An Phú", "Anh"]


def test_case_and_composition_do_not_change_the_letters():
    assert vn_sort_key("ĐĂK HÀ")[:2] == vn_sort_key("đăk hà")[:2]
    assert vn_sort_key("Ho\u0300a")[:3] == vn_sort_key("Hòa")[:3]


@given(st.text(alphabet=PLAIN + " ", max_size=12), st.text(alphabet=PLAIN + " ", max_size=12))
def test_text_without_diacritics_sorts_as_plain_ascii(a, b):
    a, b = " ".join(a.split()), " ".join(b.split())
    assert (vn_sort_key(a) < vn_sort_key(b)) == (a < b)


@given(words, words, words)
def test_words_starting_with_d_then_d_stroke_then_e(a, b, c):
    assert vn_sort_key("d" + a) < vn_sort_key("đ" + b) < vn_sort_key("e" + c)


@given(words)
def test_tones_are_secondary_letter_modifiers_primary(w):
    toneless = unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", w) if c not in TONE_MARKS))
    assert vn_sort_key(w)[0] == vn_sort_key(toneless)[0]
    # ă, â, ê, ô, ơ, ư, đ come after their plain letter, so dropping every mark never sorts later.
    assert vn_sort_key(strip_accents(w))[0] <= vn_sort_key(w)[0]


@given(st.lists(st.text(max_size=6), max_size=8))
def test_the_order_is_total_and_stable(items):
    once = sorted(items, key=vn_sort_key)
    assert sorted(reversed(once), key=vn_sort_key) == once


@pytest.mark.parametrize("earlier, later", [("Ôm", "Ơn"), ("Uông", "Ưu"), ("Em", "Ếch"), ("Ăn", "Ấp"), ("Ủy", "Ưu")])
def test_modified_vowels_are_letters_of_their_own(earlier, later):
    assert vn_sort_key(earlier) < vn_sort_key(later)
