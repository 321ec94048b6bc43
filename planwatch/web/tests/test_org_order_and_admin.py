"""Units listed in Vietnamese alphabetical order; the admin in Vietnamese and not too wide."""

import re

import pytest
from django.apps import apps
from django.urls import reverse

from planwatch.lib.text import vn_sort_key
from planwatch.orgs.ordering import sort_name

pytestmark = pytest.mark.django_db


def _section(html: str, heading: str) -> list[str]:
    part = html.split(f"<h3>{heading}")[1].split("<h3>")[0].split("</div>\n</div>")[0]
    return re.findall(r'<a href="/to-chuc/\d+/"[^>]*>([^<]+)</a>', part)


def test_the_commune_list_of_the_tree_starts_at_a(client, demo):
    client.force_login(demo.reporter)
    html = client.get(reverse("org_tree")).content.decode()
    communes = _section(html, "Xã (")
    assert len(communes) > 80
    assert communes[0] == "Xã An Phú" and communes[0] != "Xã Tịnh Khê"
    assert communes == sorted(communes, key=lambda n: vn_sort_key(sort_name(n)))
    # The Đ communes sit after the D ones and before E/G, not at the end.
    d_stroke = [n for n, c in enumerate(communes) if c.startswith("Xã Đ")]
    assert d_stroke and communes[d_stroke[-1] + 1][3] not in "Đ" and communes[-1].startswith(("Xã X", "Xã Y"))
    wards = _section(html, "Phường (")
    assert wards == sorted(wards, key=lambda n: vn_sort_key(sort_name(n)))
    departments = _section(html, "Sở, ban, ngành (")
    assert departments == sorted(departments, key=vn_sort_key)


def test_the_province_page_lists_its_units_in_vietnamese_order(client, demo):
    client.force_login(demo.leader)
    html = client.get(reverse("org_detail", args=[demo.province.pk])).content.decode()
    part = html.split("Đơn vị trực thuộc")[1].split("<h2>")[0]
    names = re.findall(r'<a href="/to-chuc/\d+/"[^>]*>([^<]+)</a>', part)
    communes = [n for n in names if n.startswith("Xã ")]
    assert communes[0] == "Xã An Phú" and communes == sorted(communes, key=lambda n: vn_sort_key(sort_name(n)))


def test_the_admin_headings_are_vietnamese(client, demo):
    client.force_login(demo.admin)
    html = client.get("/admin/").content.decode()
    captions = re.findall(r'<caption>\s*<a [^>]*>([^<]+)</a>', html)
    assert "Kế hoạch, chỉ tiêu, nhiệm vụ" in captions and "Tổ chức và phân quyền" in captions
    for english in ("Documents", "Orgs", "Plans", "Reporting", "Monitoring"):
        assert english not in captions and english.upper() not in captions
    for config in apps.get_app_configs():
        if config.name.startswith("planwatch."):
            assert config.verbose_name != config.label.title(), config.name


def test_every_plans_and_orgs_field_has_a_vietnamese_label(client, demo):
    for label in ("plans", "orgs"):
        for model in apps.get_app_config(label).get_models():
            for f in model._meta.get_fields():
                if f.concrete and not f.auto_created:
                    assert f.verbose_name != f.name.replace("_", " "), f"{model.__name__}.{f.name}"
    client.force_login(demo.admin)
    ind = demo.commune_plan.indicators.exclude(aligned_to=None).first()
    html = client.get(f"/admin/plans/indicator/{ind.pk}/change/").content.decode()
    for english in ("Plan:", "Parent:", "Position:", "Alignment note:", "Baseline year:"):
        assert english not in html
    for vietnamese in ("Kế hoạch:", "Thuộc dòng nhóm:", "Thứ tự:", "Ghi chú đối chiếu:", "Năm cơ sở:"):
        assert vietnamese in html


def test_the_tree_hides_ended_units_unless_asked_and_offers_a_search(client, demo):
    from planwatch.orgs.models import Organisation

    ended = Organisation.objects.filter(valid_to__isnull=False)
    assert ended.filter(code="qn-sontinh").exists()
    client.force_login(demo.reporter)
    html = client.get(reverse("org_tree")).content.decode()
    names = set(re.findall(r'<a href="/to-chuc/\d+/"[^>]*>([^<]+)</a>', html))
    assert "Xã Thiện Tín" in names and not names & set(ended.values_list("name", flat=True))
    assert f"Hiện cả đơn vị đã kết thúc ({ended.count()})" in html
    assert 'data-filter-table="org-units"' in html and 'for="org-q"' in html
    html = client.get(reverse("org_tree") + "?ket-thuc=1").content.decode()
    names = set(re.findall(r'<a href="/to-chuc/\d+/"[^>]*>([^<]+)</a>', html))
    # The tree lists each root's own units: the former district comes back, marked as ended.
    assert ended.get(code="qn-sontinh").name in names and "đã kết thúc" in html
