import pytest
from hypothesis import given
from hypothesis import strategies as st

from planwatch.lib.agencies import agency_core_key, agency_key, collective_kind, split_agency_list

from .seed import load, requires_seed

SKHCN = "so khoa hoc va cong nghe"


@pytest.mark.parametrize(
    "name", ["Sở KH&CN", "Sở KHCN", "Sở KH & CN", "Sở Khoa học và Công nghệ", "So Khoa hoc va Cong nghe", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
)
def test_it_gives_one_key_to_every_spelling_of_the_science_department(name):
    assert agency_key(name) == SKHCN


@pytest.mark.parametrize(
    "short, long",
    [
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
        ("HĐND tỉnh", "Hội đồng nhân dân tỉnh"),
        ("Văn phòng HĐND&UBND huyện", "VP HĐND và UBND huyện"),
        ("Đài PTTH tỉnh", "Đài Phát thanh - Truyền hình tỉnh"),
        ("Ban quản lý KKT Dung Quất và các KCN tỉnh", "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp tỉnh"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sở TTTT", "Sở Thông tin và Truyền thông"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở GDĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở VH,TT&DL", "Sở Văn hoá, Thể thao và Du lịch"),
        ("Sở NN&MT", "Sở Nông nghiệp và Môi trường"),
        ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở LĐTB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Phòng TC-KH", "Phòng Tài chính - Kế hoạch"),
        ("Sở Công thương", "Sở Công Thương"),
    ],
)
def test_it_expands_abbreviations_so_both_forms_match(short, long):
    assert agency_key(short) == agency_key(long)


def test_it_keeps_the_locality_in_the_faithful_key():
    assert agency_key("Sở Khoa học và Công nghệ tỉnh Quảng Ngãi") == SKHCN + " tinh quang ngai"


@pytest.mark.parametrize("name", ["Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", "Sở KH&CN tỉnh", "Sở KHCN"])
def test_the_core_key_drops_the_province_suffix(name):
    assert agency_core_key(name) == agency_key("Sở Khoa học và Công nghệ")


def test_the_core_key_keeps_a_name_that_is_only_a_place():
    assert agency_core_key("Báo Quảng Ngãi") == "bao quang ngai"


def test_the_key_does_not_expand_letters_inside_words():
    assert agency_key("Sở Tư pháp") == "so tu phap"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Sở Khoa học và Công nghệ và Sở Tài chính", ["Sở Khoa học và Công nghệ", "Sở Tài chính"]),
        ("Sở Xây dựng và Sở Nông nghiệp và Môi trường", ["Sở Xây dựng", "Sở Nông nghiệp và Môi trường"]),
        ("Sở Y tế và Sở Nội vụ", ["Sở Y tế", "Sở Nội vụ"]),
        ("Các sở: Y tế, Giáo dục và Đào tạo, Tài chính", ["Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Tài chính"]),
        ("Báo Quảng Ngãi, Đài PTTH tỉnh", ["Báo Quảng Ngãi", "Đài PTTH tỉnh"]),
        ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("Phòng Văn hoá, Khoa học và Thông tin và Phòng TC-KH", ["Phòng Văn hoá, Khoa học và Thông tin", "Phòng TC-KH"]),
        ("VP HĐND và UBND huyện và Phòng Nội vụ", ["VP HĐND và UBND huyện", "Phòng Nội vụ"]),
        ("Các phòng: GD&ĐT, TC-KH, VP HĐND và UBND huyện", ["Phòng GD&ĐT", "Phòng TC-KH", "VP HĐND và UBND huyện"]),
        ("Ban quản lý KKT Dung Quất và các KCN tỉnh", ["Ban quản lý KKT Dung Quất và các KCN tỉnh"]),
        ("Sở Y tế và các địa phương", ["Sở Y tế", "các địa phương"]),
        ("Sở Tài Chính; Sở Văn hóa, Thể thao và Du lịch; Công an tỉnh.", ["Sở Tài Chính", "Sở Văn hóa, Thể thao và Du lịch", "Công an tỉnh"]),
        ("So Cong Thuong, So Y te, So Nong nghiep va Moi truong, So Xay dung", ["So Cong Thuong", "So Y te", "So Nong nghiep va Moi truong", "So Xay dung"]),
        ("Ban Quan ly KKT Dung Quat va cac KCN tinh; cac so, ban nganh co lien quan", ["Ban Quan ly KKT Dung Quat va cac KCN tinh", "cac so, ban nganh co lien quan"]),
        ("Các Trường Đại học, cơ sở nghiên cứu trên địa bàn tỉnh", ["Các Trường Đại học, cơ sở nghiên cứu trên địa bàn tỉnh"]),
        ("Sở\nY tế ,  Sở Nội vụ", ["Sở Y tế", "Sở Nội vụ"]),
        # a piece after a comma that is an organisation of its own
        ("Vụ Pháp chế, Vụ Hợp tác quốc tế", ["Vụ Pháp chế", "Vụ Hợp tác quốc tế"]),
        ("Mobifone Hà Tĩnh, VNPT Hà Tĩnh", ["Mobifone Hà Tĩnh", "VNPT Hà Tĩnh"]),
        ("Công ty Điện lực Bình Định, FPT Bình Định", ["Công ty Điện lực Bình Định", "FPT Bình Định"]),
        ("Đại học Huế, Khu Công nghệ cao Hòa Lạc", ["Đại học Huế", "Khu Công nghệ cao Hòa Lạc"]),
        ("Bệnh viện Đa khoa tỉnh, Hội Chữ thập đỏ, Tỉnh đoàn", ["Bệnh viện Đa khoa tỉnh", "Hội Chữ thập đỏ", "Tỉnh đoàn"]),
        ("Ủy ban MTTQ Việt Nam phường, các tổ dân phố", ["Ủy ban MTTQ Việt Nam phường", "các tổ dân phố"]),
        ("Hội Cựu chiến binh xã, Hội Liên hiệp Phụ nữ xã", ["Hội Cựu chiến binh xã", "Hội Liên hiệp Phụ nữ xã"]),
        # names that hold commas stay whole
        ("Bộ Văn hóa, Thể thao và Du lịch", ["Bộ Văn hóa, Thể thao và Du lịch"]),
        ("Sở Lao động - Thương binh và Xã hội", ["Sở Lao động - Thương binh và Xã hội"]),
        ("Đài Phát thanh, Truyền hình tỉnh", ["Đài Phát thanh, Truyền hình tỉnh"]),
        ("UBND huyện Sơn Tịnh, Tư Nghĩa", ["UBND huyện Sơn Tịnh, Tư Nghĩa"]),
        ("Sở VH, TT&DL", ["Sở VH, TT&DL"]),
    ],
)
def test_it_splits_a_cell_into_agencies_only_before_an_agency_head_word(raw, expected):
    assert split_agency_list(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["Các sở, ban ngành, địa phương", "Sở ban ngành, địa phương", "Phòng, ban ngành, địa phương", "Các bộ, ngành, địa phương",
     "Các phòng, ban ngành liên quan", "UBND các xã, phường", "Các tỉnh, thành phố trực thuộc Trung ương"],
)  # fmt: skip
def test_it_keeps_collective_phrases_whole(raw):
    assert split_agency_list(raw) == [raw]


@pytest.mark.parametrize("raw", [None, "", "-", "–", "  ", ";"])
def test_it_gives_no_agency_for_an_empty_or_dash_cell(raw):
    assert split_agency_list(raw) == []


@pytest.mark.parametrize(
    "name, kind",
    [
        ("Các sở, ban ngành, địa phương", "departments_and_localities"),
        ("Sở ban ngành, địa phương", "departments_and_localities"),
        ("So ban nganh, dia phuong", "departments_and_localities"),
        ("Các bộ, ngành, địa phương", "departments_and_localities"),
        ("Phòng, ban ngành, địa phương", "departments_and_localities"),
        ("Sở ban ngành", "departments"),
        ("Các sở ban ngành", "departments"),
        ("Các sở ngành liên quan", "departments"),
        ("các sở, ban ngành có liên quan", "departments"),
        ("Các phòng, ban ngành liên quan", "departments"),
        ("Địa phương", "localities"),
        ("Các địa phương", "localities"),
        ("CÁC ĐỊA PHƯƠNG", "localities"),
        ("UBND các xã, phường", "localities"),
        ("Sở Y tế", None),
        ("Các địa phương có đảo", None),
        ("Các Trường Đại học, cơ sở nghiên cứu trên địa bàn tỉnh", None),
    ],
)
def test_it_recognises_collective_phrases(name, kind):
    assert collective_kind(name) == kind


# Every distinct agency entry of the seed files with how it splits (collectives stay whole).
SEED_AGENCY_ENTRIES = {
    "Ban Quản lý KKT Dung Quất và các KCN tỉnh": 1, "Ban quản lý KKT Dung Quất và các KCN tỉnh": 1,
    "Báo Quảng Ngãi": 1, "Chi cục Thống kê tỉnh": 1, "Các Trường Đại học, cơ sở nghiên cứu trên địa bàn tỉnh": 1,
    "Các bộ, ngành, địa phương": 1, "Các phòng, ban ngành liên quan": 1,
    "Các phòng: GD&ĐT, TC-KH, VP HĐND và UBND huyện": 3, "Các sở ban ngành": 1, "Các sở ngành liên quan": 1,
    "Các sở, ban ngành, địa phương": 1, "Các sở: Y tế, Giáo dục và Đào tạo, Tài chính": 3,
    "Các thành phố trực thuộc Trung ương và một số tỉnh đủ điều kiện": 1,
    "Các tỉnh, thành phố trực thuộc Trung ương": 1, "Các địa phương": 1, "Các địa phương chủ trì": 1,
    "Các địa phương có đảo": 1, "Công an": 1, "Công an tỉnh": 1, "Ngân hàng Nhà nước": 1,
    "Ngân hàng Nhà nước Việt Nam tỉnh": 1, "Phòng Nội vụ": 1, "Phòng Văn hoá, Khoa học và Thông tin": 1,
    "Phòng Văn hoá, Khoa học và Thông tin và Phòng TC-KH": 2, "Phòng, ban ngành, địa phương": 1,
    "Sở Công Thương": 1, "Sở Công thương": 1, "Sở Khoa học và Công nghệ": 1,
    "Sở Khoa học và Công nghệ và Sở Tài chính": 2, "Sở Nông nghiệp và Môi trường": 1, "Sở Nội vụ": 1,
    "Sở Tài Chính": 1, "Sở Tài chính": 1, "Sở Văn hóa, Thể thao và Du lịch": 1, "Sở Xây dựng": 1,
    "Sở Xây dựng và Sở Nông nghiệp và Môi trường": 2, "Sở Y tế": 1, "Sở Y tế và Sở Nội vụ": 2,
    "Sở ban ngành": 1, "Sở ban ngành, địa phương": 1, "VP HĐND và UBND huyện": 1,
    "VP HĐND và UBND huyện và Phòng Nội vụ": 2, "Văn phòng HĐND&UBND huyện": 1, "Văn phòng UBND tỉnh": 1,
    "các sở, ban ngành có liên quan": 1, "Đài PTTH tỉnh": 1, "Địa phương": 1, "Địa phương được lựa chọn": 1,
}  # fmt: skip


@pytest.mark.parametrize("entry, count", SEED_AGENCY_ENTRIES.items())
def test_it_splits_every_agency_entry_of_the_seed_documents(entry, count):
    assert len(split_agency_list(entry)) == count


def _seed_agency_entries() -> set[str]:
    entries = set()
    for name in ("province_plan_327.json", "district_plan_sontinh.json"):
        data = load(name)
        entries |= {row["agency"] for row in data["indicators"] if row["agency"]}
        entries |= {a for task in data["tasks"] for a in task["lead"] + task.get("coordinating", [])}
    entries |= {row["lead"] for row in load("progress_report_skhcn.json")["rows"] if row["lead"]}
    return entries


@requires_seed
@pytest.mark.shared
def test_the_seed_agency_entries_are_all_in_the_inlined_table():
    assert _seed_agency_entries() <= set(SEED_AGENCY_ENTRIES)


@requires_seed
@pytest.mark.shared
def test_the_province_ocr_agencies_match_the_transcribed_ones_by_key():
    # The OCR has no diacritics; where it is clean, its key must equal the transcription's.
    for row in load("province_plan_327.json")["indicators"]:
        ocr, agency = row.get("agency_ocr"), row["agency"]
        if ocr and agency and agency_key(ocr).startswith(("so khoa hoc", "van phong", "cong an")):
            assert agency_key(ocr) == agency_key(agency), (row["code"], ocr, agency)


@given(st.text())
def test_splitting_never_raises_and_never_returns_blank_entries(raw):
    assert all(entry.strip() for entry in split_agency_list(raw))


@given(st.text())
def test_agency_key_is_idempotent(name):
    assert agency_key(agency_key(name)) == agency_key(name)
