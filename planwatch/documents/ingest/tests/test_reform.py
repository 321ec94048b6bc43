"""Bodies that ended in the 2025 restructuring: merged ministries and departments, district offices."""

from datetime import date

import pytest

from planwatch.documents.ingest import reform
from planwatch.documents.ingest.resolve import OrgSuggester

TODAY = date(2026, 1, 15)


def test_the_registry_knows_merged_bodies_by_any_usual_name():
    assert reform.former_body("Sở Kế hoạch và Đầu tư").successor == "Sở Tài chính"
    assert reform.former_body("Sở KH&ĐT tỉnh Gia Lai").successor == "Sở Tài chính"
    assert reform.former_body("Sở NN&PTNT").successor == "Sở Nông nghiệp và Môi trường"
    assert reform.former_body("Sở Tài nguyên và Môi trường").successor == "Sở Nông nghiệp và Môi trường"
    assert reform.former_body("Bộ Giao thông vận tải").successor == "Bộ Xây dựng"
    assert reform.former_body("Ủy ban Dân tộc").successor == "Bộ Dân tộc và Tôn giáo"
    labour = reform.former_body("Sở LĐTB&XH")
    assert (labour.successor, labour.parts) == ("Sở Nội vụ", ("Sở Giáo dục và Đào tạo", "Sở Y tế"))
    assert reform.former_body("Sở Tài chính") is None and reform.former_body("Ban Dân tộc HĐND tỉnh") is None
    assert reform.former_district("Phòng Tài chính - Kế hoạch huyện Krông Pắc") == ("huyện", "Krông Pắc")
    assert reform.former_district("UBND thị xã Đức Phổ") == ("thị xã", "Đức Phổ")
    assert reform.former_district("Trung tâm Y tế huyện") is None


def test_a_district_maps_to_the_communes_that_took_it_over():
    communes = reform.district_communes("huyện", "Krông Pắc")
    assert communes and {p for _n, p in communes} == {"Tỉnh Đắk Lắk"}
    assert ("Xã Krông Pắc", "Tỉnh Đắk Lắk") in communes
    # A name several provinces share needs the province.
    assert reform.district_communes("huyện", "Châu Thành") == ()
    assert {p for _n, p in reform.district_communes("huyện", "Châu Thành", "Tỉnh Bến Tre")} == {"Tỉnh Vĩnh Long"}


@pytest.fixture
def province(db):
    from planwatch.orgs.loaders import load_quangngai

    return load_quangngai()


def test_a_merged_department_resolves_to_its_successor_in_the_issuers_province(province):
    s = OrgSuggester(province, on=date(2024, 4, 2), today=TODAY)
    ch = s.choice("Sở Kế hoạch và Đầu tư")
    assert (ch["method"], ch["chosen"]) == ("reform", ["qn-stc"])
    assert ch["candidates"][0]["code"] == "qn-stc"
    assert ch["flags"] == ["“Sở Kế hoạch và Đầu tư” đã hợp nhất vào Sở Tài chính từ 01/3/2025 "
                           "(theo sắp xếp bộ máy năm 2025)"]
    assert s.choice("Sở NN&PTNT tỉnh Quảng Ngãi")["chosen"] == ["qn-snnmt"]
    labour = s.choice("Sở Lao động - Thương binh và Xã hội")
    assert labour["chosen"] == ["qn-snv"] and "một phần nhiệm vụ chuyển sang Sở Giáo dục và Đào tạo, Sở Y tế" in labour["flags"][0]
    # No ministry in the tree: flagged, nothing chosen.
    ministry = s.choice("Bộ Kế hoạch và Đầu tư")
    assert ministry["chosen"] == [] and "chưa có “Bộ Tài chính” trong danh mục đơn vị" in ministry["flags"][0]


def test_an_ended_unit_the_tree_holds_keeps_itself_and_its_successor(province):
    s = OrgSuggester(province, on=date(2024, 4, 2), today=TODAY)
    ch = s.choice("Sở Thông tin và Truyền thông")
    assert ch["method"] != "reform" and ch["chosen"] == ["qn-stttt"]
    assert [c["code"] for c in ch["candidates"][:2]] == ["qn-stttt", "qn-skhcn"]


def test_a_district_office_resolves_to_the_communes_now_covering_it(province):
    s = OrgSuggester(province, on=date(2024, 4, 2), today=TODAY)
    ch = s.choice("Phòng Tài chính - Kế hoạch huyện Tư Nghĩa")
    names = {c["name"] for c in ch["candidates"] if c["method"] == "successor"}
    assert ch["method"] == "reform" and len(ch["chosen"]) == len(names) >= 2
    assert all(n.startswith(("Xã ", "Phường ")) for n in names)
    assert ch["flags"][0].startswith("Cấp huyện đã kết thúc hoạt động từ 01/7/2025")
    # Another province's district: its communes are named, none is chosen from this tree.
    other = s.choice("Phòng Kinh tế và Hạ tầng huyện Krông Pắc")
    assert other["chosen"] == [] and "xã Krông Pắc" in other["flags"][0]
    assert "chưa có trong danh mục đơn vị" in other["flags"][0]


def test_a_district_body_outside_its_government_is_only_suggested(province):
    s = OrgSuggester(province, on=date(2024, 4, 2), today=TODAY)
    ch = s.choice("Trung tâm Y tế huyện Tư Nghĩa")
    assert ch["chosen"] == [] and ch["flags"][0].endswith("chọn đơn vị nhận nhiệm vụ trong danh sách gợi ý")
    assert any(c["method"] == "successor" for c in ch["candidates"])
