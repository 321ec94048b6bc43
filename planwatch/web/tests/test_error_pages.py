"""Refusals and failures are shown in Vietnamese (DEBUG=False, as in production): 404 and 403
pages in the site's layout carrying the refusal's own Vietnamese message, a standalone 500."""

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from planwatch.orgs.models import Organisation
from planwatch.plans.models import Task
from planwatch.reporting.models import PeriodKind
from planwatch.reporting.services import period_open, report_open
from planwatch.reporting.tests.conftest import form_data


@pytest.fixture(autouse=True)
def production_like(settings):
    assert settings.DEBUG is False  # the test settings: Django's debug pages are off


@pytest.fixture
def reports(demo):
    period = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=3)
    sibling = Organisation.objects.filter(parent=demo.thientin.parent, kind="commune").exclude(pk=demo.thientin.pk).order_by("path").first()
    return {"own": report_open(period=period, org=demo.thientin), "sibling": report_open(period=period, org=sibling)}


def _main(html: str) -> str:
    return html[html.index("<main>"):html.index("</main>")]


def _is_vietnamese_page(r, status: int) -> str:
    html = r.content.decode()
    assert r.status_code == status
    assert '<html lang="vi">' in html
    for english in ("Not Found", "Forbidden", "Server Error", "The requested resource"):
        assert english not in html
    assert f'href="{reverse("home")}"' in html  # a way back
    return html


def test_an_unknown_address_gives_the_vietnamese_404_page(client, demo):
    client.force_login(demo.reporter)
    html = _is_vietnamese_page(client.get("/khong-co-trang-nay/"), 404)
    assert "<title>Không tìm thấy trang – planwatch</title>" in html
    assert "Không tìm thấy trang (lỗi 404)" in html and "Về trang chủ" in html
    assert "Resolver404" not in html and "/khong-co-trang-nay/" not in _main(html)
    # The site's header is there: the signed-in user can carry on from the menu.
    assert "Nguyễn Thị Lan" in html and "Đăng xuất" in html


def test_the_404_page_works_for_someone_not_signed_in(client, db):
    html = _is_vietnamese_page(client.get("/khong-co-trang-nay/"), 404)
    assert "Không tìm thấy trang (lỗi 404)" in html and "Đăng xuất" not in html


def test_the_404_page_shows_the_vietnamese_reason(client, demo):
    client.force_login(demo.reporter)
    html = _is_vietnamese_page(client.get(reverse("org_detail", args=[987654321])), 404)
    assert '<p class="error-message">Không tìm thấy tổ chức</p>' in html


def test_another_units_report_is_not_found_with_the_reason(client, demo, reports):
    client.force_login(demo.reporter)
    html = _is_vietnamese_page(client.get(reverse("report_detail", args=[reports["sibling"].pk])), 404)
    assert "Không tìm thấy báo cáo" in _main(html)
    assert reports["sibling"].org.name not in _main(html)  # nothing about the other unit leaks


def test_a_bare_404_shows_no_english_class_name(client, demo, reports):
    client.force_login(demo.approver)
    r = client.post(reverse("report_action", args=[reports["own"].pk, "khong-co"]))
    html = _is_vietnamese_page(r, 404)
    assert "Http404" not in html and 'class="error-message"' not in html


def test_the_403_page_shows_the_vietnamese_reason(client, demo, reports):
    client.force_login(demo.reporter)  # an officer cannot accept a report
    html = _is_vietnamese_page(client.post(reverse("report_action", args=[reports["own"].pk, "tiep-nhan"])), 403)
    assert "<title>Không có quyền truy cập – planwatch</title>" in html
    assert "Không có quyền thực hiện (lỗi 403)" in html
    assert '<p class="error-message">Bạn không có quyền thực hiện thao tác này</p>' in html


def test_a_crafted_field_is_refused_with_its_reason(client, demo, reports):
    own = reports["own"]
    # The id of a task of the plan that Thiện Tín is not assigned: a crafted form field.
    stranger = Task.objects.filter(plan=demo.plan).exclude(pk__in=own.task_lines.values("task_id")).first()
    data = form_data(own, **{f"t{stranger.pk}_result_to_date": "chen vao"})
    client.force_login(demo.reporter)
    html = _is_vietnamese_page(client.post(reverse("report_detail", args=[own.pk]), data), 403)
    assert "Dữ liệu gửi lên có nhiệm vụ hoặc chỉ tiêu không thuộc báo cáo này" in _main(html)


def test_a_403_without_a_message_shows_no_empty_reason(client, db):
    # Someone with no unit and no oversight opening the outbox: a bare PermissionDenied.
    nobody = get_user_model().objects.create_user("khach", password="x")
    client.force_login(nobody)
    html = _is_vietnamese_page(client.get(reverse("outbox")), 403)
    assert "Không có quyền thực hiện (lỗi 403)" in html and 'class="error-message"' not in html


def test_the_500_page_is_standalone_and_vietnamese(db):
    # Django renders 500.html with no context and no request context processors.
    r = server_error(RequestFactory().get("/"))
    html = r.content.decode()
    assert r.status_code == 500
    assert '<html lang="vi">' in html and "Lỗi hệ thống (lỗi 500)" in html
    assert 'href="/"' in html and "Về trang chủ" in html
    assert "{%" not in html and "{{" not in html and "Server Error" not in html


def test_an_expired_form_is_explained_in_vietnamese(demo):
    """A POST without a valid CSRF token (a page left open too long) gets a Vietnamese page."""
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(demo.reporter)
    r = c.post("/bao-cao/1/", {"version": "1"})
    html = r.content.decode()
    assert r.status_code == 403
    assert 'lang="vi"' in html and "phiên làm việc đã hết hạn" in html and "không bị mất" in html


def test_a_bad_request_page_is_vietnamese():
    from django.core.exceptions import SuspiciousOperation
    from django.test import RequestFactory
    from django.views.defaults import bad_request

    r = bad_request(RequestFactory().get("/"), SuspiciousOperation("x"))
    html = r.content.decode()
    assert r.status_code == 400 and 'lang="vi"' in html and "Yêu cầu không hợp lệ (lỗi 400)" in html
