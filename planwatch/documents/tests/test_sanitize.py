from planwatch.documents.sanitize import CUT_MARKER, XLSX_CELL_MAX, cap, clean_text, looks_like_formula, xlsx_text


def test_it_strips_characters_xml_cannot_carry_and_keeps_line_breaks():
    assert clean_text("a\x00b\x07c\x1fd\ttab\r\nline") == "abcd\ttab\nline"


def test_it_normalises_to_nfc():
    assert clean_text("Hoa\u0300") == "Hoà"


def test_none_is_empty_text():
    assert clean_text(None) == ""


def test_a_long_cell_is_cut_with_a_visible_marker_at_excels_limit():
    text = xlsx_text("x" * 40_000)
    assert len(text) == XLSX_CELL_MAX
    assert text.endswith(CUT_MARKER)


def test_text_within_the_limit_is_untouched():
    assert cap("abc", 3) == "abc"


def test_formula_like_starts_are_recognised():
    for s in ("=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx"):
        assert looks_like_formula(s)
    assert not looks_like_formula("Đã hoàn thành")
