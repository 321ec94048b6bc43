"""“Việc cần làm” through real URLs: the home page of each person, the standing agency's
acceptance queue (counts, filters, bulk acceptance, scope) and the returned banner with the
way back to the period."""

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from planwatch.reporting.models import PeriodKind, ReportEvent, ReportStatus, UnitReport
from planwatch.reporting.services import period_open, report_open, report_return, report_send_back, report_submit


def adhoc(demo, *, end_days_ago: int, due_in: int, label: str):
    today = timezone.localdate()
    end = today - timedelta(days=end_days_ago)
    return period_open(plan=demo.plan, kind=PeriodKind.AD_HOC, year=end.year, start=end - timedelta(days=20),
                       end=end, due_date=today + timedelta(days=due_in), label=label)  # fmt: skip


@pytest.fixture
def overdue(demo):
    return adhoc(demo, end_days_ago=30, due_in=-5, label="Báo cáo đột xuất quá hạn")


@pytest.fixture
def current(demo):
    return adhoc(demo, end_days_ago=0, due_in=10, label="Báo cáo đột xuất đang mở")


def _home(client, user) -> str:
    client.force_login(user)
    r = client.get(reverse("home"))
    assert r.status_code == 200
    return r.content.decode()


def _section(html: str, sid: str) -> str:
    start = html.index(f'id="{sid}"')
    return html[start:html.index("</section>", start)]


def test_the_officer_opens_an_overdue_period_from_the_home_page(client, demo, overdue):
    html = _home(client, demo.reporter)
    write = _section(html, "todo-write")
    m = re.search(rf'<li data-period="{overdue.pk}">(.*?)</li>', write, re.S)
    assert m, "the overdue period is listed"
    assert "quá hạn 5 ngày" in m.group(1) and "chưa lập" in m.group(1)
    link = reverse("report_current", args=[overdue.pk])
    assert f'href="{link}"' in m.group(1)
    # The link opens (creates, prefilled) the commune's report of that period.
    r = client.get(link)
    report = UnitReport.objects.get(period=overdue, org=demo.thientin)
    assert r.status_code == 302 and r.url == reverse("report_detail", args=[report.pk])
    # Now a draft: “Tiếp tục báo cáo …” leads straight to it.
    write = _section(_home(client, demo.reporter), "todo-write")
    assert f'href="{reverse("report_detail", args=[report.pk])}"' in write


def test_a_returned_report_is_on_top_of_the_home_page_with_its_reason(client, demo, current):
    r = report_submit(report=report_open(period=current, org=demo.thientin), by=demo.approver)
    report_return(report=r, by=demo.supervisor, comment="Thiếu số liệu chỉ tiêu 1.2")
    html = _home(client, demo.reporter)
    returned = _section(html, "todo-returned")
    assert "Thiếu số liệu chỉ tiêu 1.2" in returned and "Võ Thị Hạnh" in returned
    assert f'href="{reverse("report_detail", args=[r.pk])}"' in returned
    assert html.index('id="todo-returned"') < html.index('id="todo-write"')


def test_the_head_of_unit_sees_drafts_to_check_and_send(client, demo, current):
    r = report_open(period=current, org=demo.thientin, by=demo.reporter)
    approve = _section(_home(client, demo.approver), "todo-approve")
    assert f'data-report="{r.pk}"' in approve and f'href="{reverse("report_detail", args=[r.pk])}"' in approve


def test_the_standing_agency_sees_its_queue_count_and_leaders_their_warnings(client, demo):
    from planwatch.monitoring import selectors as S

    waiting = UnitReport.objects.filter(status=ReportStatus.SUBMITTED, org__path__startswith=demo.province.path).count()
    accept = _section(_home(client, demo.supervisor), "todo-accept")
    assert f'<span class="badge amber" id="todo-accept-count">{waiting}</span>' in accept or waiting == 0
    assert f'href="{reverse("accept_queue")}"' in accept
    leader = _home(client, demo.leader)
    assert 'id="todo-accept"' not in leader
    warnings = _section(leader, "todo-warnings")
    overdue = S.task_counts(demo.province, timezone.localdate()).get("overdue", 0)
    if overdue:
        m = re.search(r'data-warning="overdue"><span class="what"><span class="badge red">([\d.]+)</span>', warnings)
        assert m and int(m.group(1).replace(".", "")) == overdue
        assert "trang_thai=overdue" in warnings


def test_someone_with_nothing_to_do_is_told_so(client, demo):
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("khach", password="x")
    html = _home(client, nobody)
    assert 'id="todo-none"' in html and "Hiện không có việc nào cần làm" in html


# ---------------------------------------------------------------- the acceptance queue


@pytest.fixture
def sent(demo, current, sibling):
    return {o.pk: report_submit(report=report_open(period=current, org=o), by=demo.admin) for o in (demo.thientin, sibling, demo.skhcn)}


def _rows(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<tr data-report="(\d+)"', html)]


def test_the_queue_lists_sent_reports_with_filters_and_counts(client, demo, current, sent):
    client.force_login(demo.supervisor)
    html = client.get(reverse("accept_queue"), {"ky": current.pk}).content.decode()
    assert sorted(_rows(html)) == sorted(r.pk for r in sent.values())
    assert f'href="{reverse("period_detail", args=[current.pk])}"' in html  # back to the period
    assert 'data-confirm="' in html  # the bulk form asks first
    communes = client.get(reverse("accept_queue"), {"ky": current.pk, "loai": "commune"}).content.decode()
    assert sorted(_rows(communes)) == sorted(r.pk for o, r in sent.items() if o != demo.skhcn.pk)
    # The kind filter shows its count within the chosen period.
    assert re.search(r'<option value="department"[^>]*>Sở, ban, ngành \(1\)</option>', communes)
    # Nonsense filters are ignored rather than failing.
    assert client.get(reverse("accept_queue"), {"ky": "x", "loai": "khong-co"}).status_code == 200


def test_bulk_accept_accepts_the_chosen_reports_and_leaves_the_rest(client, demo, current, sent, sibling):
    client.force_login(demo.supervisor)
    chosen = [sent[demo.thientin.pk].pk, sent[sibling.pk].pk]
    r = client.post(reverse("accept_queue"), {"bao_cao": chosen, "ky": current.pk, "y_kien": "Đủ nội dung"}, follow=True)
    assert r.redirect_chain[-1][0] == f"{reverse('accept_queue')}?ky={current.pk}"
    html = r.content.decode()
    assert "Đã tiếp nhận 2 báo cáo." in html
    statuses = dict(UnitReport.objects.filter(period=current).values_list("pk", "status"))
    assert [statuses[pk] for pk in chosen] == [ReportStatus.ACCEPTED] * 2
    assert statuses[sent[demo.skhcn.pk].pk] == ReportStatus.SUBMITTED
    assert _rows(html) == [sent[demo.skhcn.pk].pk]
    assert ReportEvent.objects.filter(report_id__in=chosen, action="accepted", actor=demo.supervisor).count() == 2
    # Posting the same ids again: nothing left to accept, and the page says why.
    again = client.post(reverse("accept_queue"), {"bao_cao": chosen}, follow=True).content.decode()
    assert "2 báo cáo đã chọn không còn chờ tiếp nhận" in again


def test_only_the_standing_agency_has_a_queue(client, demo, sent):
    for user in (demo.reporter, demo.approver, demo.leader):
        client.force_login(user)
        assert client.get(reverse("accept_queue")).status_code == 403
        assert client.post(reverse("accept_queue"), {"bao_cao": [r.pk for r in sent.values()]}).status_code == 403
    assert UnitReport.objects.filter(pk__in=[r.pk for r in sent.values()], status=ReportStatus.SUBMITTED).count() == 3


def test_a_commune_supervisor_cannot_accept_another_unit_s_report(client, demo, current, sent):
    from django.contrib.auth import get_user_model

    from planwatch.orgs.models import Role
    from planwatch.orgs.services import grant

    commune_sup = get_user_model().objects.create_user("thuongtruc.thientin", password="x")
    grant(commune_sup, org=demo.thientin, role=Role.SUPERVISOR, scope=demo.thientin)
    client.force_login(commune_sup)
    own = UnitReport.objects.filter(org=demo.thientin, status=ReportStatus.SUBMITTED).values_list("pk", flat=True)
    assert sorted(_rows(client.get(reverse("accept_queue")).content.decode())) == sorted(own)
    client.post(reverse("accept_queue"), {"bao_cao": [r.pk for r in sent.values()]})
    statuses = dict(UnitReport.objects.filter(period=current).values_list("org_id", "status"))
    assert statuses[demo.thientin.pk] == ReportStatus.ACCEPTED
    assert statuses[demo.skhcn.pk] == ReportStatus.SUBMITTED


# ---------------------------------------------------------------- the returned banner


def _banner(user, report) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("web/reporting/_returned_banner.html", {"report": report}, request=request)


def test_the_banner_shows_why_a_report_came_back_and_links_to_the_period(demo, current):
    r = report_submit(report=report_open(period=current, org=demo.thientin), by=demo.approver)
    assert 'id="returned-banner"' not in _banner(demo.reporter, r)
    r = report_return(report=r, by=demo.supervisor, comment="Đề nghị bổ sung minh chứng")
    html = _banner(demo.reporter, r)
    assert 'id="returned-banner"' in html and "Đề nghị bổ sung minh chứng" in html and "Võ Thị Hạnh" in html
    assert f'href="{reverse("my_reports")}"' in html
    sup = _banner(demo.supervisor, r)
    assert f'href="{reverse("period_detail", args=[current.pk])}"' in sup
    r = report_open(period=current, org=demo.thientin)
    d = report_send_back(report=r, by=demo.approver, comment="Sửa lại phần kết quả")
    assert "Sửa lại phần kết quả" in _banner(demo.reporter, d)


@pytest.fixture
def sibling(demo):
    from planwatch.orgs.models import Organisation

    return Organisation.objects.filter(parent=demo.thientin.parent, kind="commune").exclude(pk=demo.thientin.pk).order_by("path").first()
