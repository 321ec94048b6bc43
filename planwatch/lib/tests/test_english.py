from planwatch.lib.english import english_words, looks_english


def test_a_transcriber_note_in_english_is_english():
    assert looks_english("OCR '>' very likely stands for '≥': the file copies this row (its 1.1) with '≥'.")
    assert looks_english("Printed unit of speed is 'Gbps/s' (sic).")


def test_a_lone_english_interface_word_is_english():
    assert looks_english("None") and looks_english("Submit") and looks_english(" Save ")


def test_vietnamese_and_raw_ocr_without_tone_marks_are_not_english():
    assert not looks_english("Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến")
    assert not looks_english("Ty le ho so thu tuc hanh chinh xir ly true tuyen.")  # OCR of "trực tuyến"
    assert not looks_english("Kế hoạch 327/QĐ-UBND – Sở KH&CN, tháng 11/2026")
    assert not looks_english("vùng the…")  # "theo" cut short


def test_words_are_found_as_written():
    assert english_words("Submitted at 10:00") == {"Submitted"}
