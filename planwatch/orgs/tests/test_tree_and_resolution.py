from datetime import date

import pytest

from planwatch.orgs.models import Organisation, OrgKind
from planwatch.orgs.services import AgencyResolver, fan_out

pytestmark = pytest.mark.django_db


def test_the_province_has_its_96_communes_wards_and_special_zone(demo):
    locals_ = demo.province.children.filter(kind__in=[OrgKind.COMMUNE, OrgKind.WARD, OrgKind.SPECIAL_ZONE])
    assert locals_.count() == 96
    assert locals_.filter(kind=OrgKind.SPECIAL_ZONE).count() == 1
    assert locals_.filter(name="Xã Thiện Tín").exists()


def test_the_tree_holds_the_agencies_named_in_the_plans(demo):
    names = set(demo.province.children.values_list("name", flat=True))
    for expected in [
        "Ủy ban nhân dân tỉnh Quảng Ngãi",
        "Tỉnh ủy Quảng Ngãi",
        "Sở Khoa học và Công nghệ",
        "Công an tỉnh",
        "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi",
        "Báo và Phát thanh, Truyền hình Quảng Ngãi",
        "Ngân hàng Nhà nước chi nhánh tỉnh Quảng Ngãi",
    ]:
        assert expected in names


def test_son_tinh_district_ended_on_1_july_2025_with_its_successor_communes(demo):
    d = demo.sontinh
    assert d.valid_to == date(2025, 6, 30)
    assert not d.is_active(date(2025, 7, 1)) and d.is_active(date(2025, 6, 30))
    successors = {s.successor.name: s for s in d.successions.select_related("successor")}
    assert set(successors) == {"Xã Trường Giang", "Xã Ba Gia", "Xã Thọ Phong", "Xã Sơn Tịnh"}
    assert "Xã Tịnh Hiệp" in successors["Xã Ba Gia"].detail
    assert "vietnam-address-converter" in successors["Xã Ba Gia"].source
    # History kept: the district and its offices are still in the tree.
    assert d.children.filter(name="Phòng Văn hóa, Khoa học và Thông tin").exists()


@pytest.mark.parametrize(
    "written",
    [
        "Sở Khoa học và Công nghệ",
        "Sở KH&CN",
        "Sở KHCN",
        "So Khoa hoc va Cong nghe",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi",
    ],
)
def test_it_resolves_an_agency_however_it_is_written(demo, written):
    r = AgencyResolver(demo.province).resolve_name(written)
    assert [o.code for o in r.orgs] == ["qn-skhcn"], r.method


def test_it_resolves_ocr_and_abbreviated_names_of_other_agencies(demo):
    resolver = AgencyResolver(demo.province)
    assert resolver.resolve_name("Ban quản lý KKT Dung Quất và các KCN tỉnh").orgs[0].code == "qn-bqlkkt"
    assert resolver.resolve_name("Sở Tài Chính").orgs[0].code == "qn-stc"
    assert resolver.resolve_name("Chi cuc Thong ke tinh").orgs[0].code == "qn-thongke"


def test_it_reports_an_unknown_agency_instead_of_guessing(demo):
    res = AgencyResolver(demo.province).resolve_cell("Sở Hàng không Vũ trụ")
    assert res.value[0].orgs == []
    assert "Sở Hàng không Vũ trụ" in res.warnings[0]


def test_a_district_plan_resolves_its_own_offices_before_the_province(demo):
    resolver = AgencyResolver(demo.sontinh, on=date(2025, 6, 30))
    assert resolver.resolve_name("Công an").orgs[0].code == "qn-sontinh-ca"
    assert resolver.resolve_name("Sở Công Thương").orgs[0].code == "qn-sct"
    leads = resolver.resolve_cell("Phòng Văn hoá, Khoa học và Thông tin và Phòng TC-KH").value
    assert [r.orgs[0].code for r in leads] == ["qn-sontinh-vhkhtt", "qn-sontinh-tckh"]


def test_all_departments_and_localities_fans_out_to_every_department_and_commune(demo):
    orgs = fan_out("departments_and_localities", demo.province, on=date(2026, 1, 1))
    kinds = {o.kind for o in orgs}
    assert sum(o.kind in (OrgKind.COMMUNE, OrgKind.WARD, OrgKind.SPECIAL_ZONE) for o in orgs) == 96
    assert Organisation.objects.get(code="qn-skhcn") in orgs
    assert OrgKind.PROVINCE not in kinds and OrgKind.GROUP not in kinds
    # Ended units (Sở TT&TT, merged 1/3/2025) are not given new work.
    assert Organisation.objects.get(code="qn-stttt") not in orgs


def test_the_collective_phrase_on_a_task_fans_out_to_all_units(demo):
    task = demo.plan.tasks.get(code="3")  # lead: "Sở ban ngành, địa phương"
    assigned = task.assignments.filter(role="lead")
    assert assigned.filter(org__kind__in=["commune", "ward", "special_zone"]).count() == 96
    assert assigned.filter(org__code="qn-syt").exists()
    assert {a.source_text for a in assigned} == {"Sở ban ngành, địa phương"}
