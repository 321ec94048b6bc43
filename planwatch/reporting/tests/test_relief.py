""""Không thuộc phạm vi": Thiện Tín asks to be relieved of task 19 of plan 327 (the Lý Sơn
special zone's pilot model, given to it by "Địa phương"). Until the standing agency accepts,
the task counts as it is; once accepted the commune is no longer expected to report on it
anywhere: its report, the expected-units rule, monitoring's roll-ups and the consolidated
table. Refusing needs a reason; every step names its actor and tells the other side."""

import pytest
from django.utils import timezone

from planwatch.monitoring.models import TaskState
from planwatch.monitoring.selectors import active_on, expected_pairs
from planwatch.monitoring.services import ensure_fresh
from planwatch.notifications.models import Notification
from planwatch.plans.models import Assignment, Task
from planwatch.reporting import relief as R
from planwatch.reporting.consolidation import consolidate
from planwatch.reporting.models import ReliefStatus, ReportEvent
from planwatch.reporting.selectors import current_period, expected_units, report_history, tasks_of_unit
from planwatch.reporting.services import NotAllowed, ReportingError, WorkflowError, report_open

REASON = "Mô hình điểm triển khai tại đặc khu Lý Sơn, xã không có phần việc nào."


@pytest.fixture
def lyson(demo):
    return Task.objects.get(plan=demo.plan, code="19")


@pytest.fixture
def now_report(demo):
    """Thiện Tín's report of the current month of plan 327 (a draft the demo leaves to it)."""
    return report_open(period=current_period(demo.plan), org=demo.thientin, by=demo.reporter)


def _counted_today(task, org):
    today = timezone.localdate()
    return TaskState.objects.filter(task=task, org=org).filter(active_on(today)).exists()


def test_a_request_needs_a_reason_and_waits_without_changing_anything(demo, lyson, now_report):
    with pytest.raises(ReportingError):
        R.relief_request(org=demo.thientin, task=lyson, by=demo.reporter, reason="  không ", report=now_report)
    ensure_fresh()
    before_units = set(expected_units(demo.plan, period=now_report.period).values_list("pk", flat=True))
    req = R.relief_request(org=demo.thientin, task=lyson, by=demo.reporter, reason=REASON, report=now_report)
    assert req.status == ReliefStatus.PENDING and req.requested_by == demo.reporter
    # Until accepted the task counts as it is.
    assert lyson in tasks_of_unit(demo.plan, demo.thientin, now_report.period)
    assert now_report.task_lines.filter(task=lyson).exists()
    assert _counted_today(lyson, demo.thientin)
    assert set(expected_units(demo.plan, period=now_report.period).values_list("pk", flat=True)) == before_units
    # A second request on the same task waits for the first.
    with pytest.raises(WorkflowError):
        R.relief_request(org=demo.thientin, task=lyson, by=demo.approver, reason=REASON, report=now_report)
    # The standing agency hears of it and sees it in its queue; the commune's people do not decide.
    assert Notification.objects.filter(user=demo.supervisor, kind="relief_requested").exists()
    assert req in R.relief_pending(demo.supervisor)
    assert not R.relief_pending(demo.approver).exists() and not R.relief_pending(demo.reporter).exists()
    assert "Đề nghị nhiệm vụ không thuộc phạm vi" in [h.action_label for h in report_history(now_report)]


def test_only_the_units_own_people_may_ask_and_only_the_standing_agency_decides(demo, lyson, now_report):
    with pytest.raises(NotAllowed):
        R.relief_request(org=demo.thientin, task=lyson, by=demo.other_dept_reporter, reason=REASON)
    with pytest.raises(NotAllowed):
        R.relief_request(org=demo.thientin, task=Task.objects.get(plan=demo.plan, code="1"), by=demo.reporter, reason=REASON)
    req = R.relief_request(org=demo.thientin, task=lyson, by=demo.reporter, reason=REASON)
    for outsider in (demo.approver, demo.reporter, demo.leader, demo.dept_approver):
        with pytest.raises(NotAllowed):
            R.relief_accept(request=req, by=outsider)
    req.refresh_from_db()
    assert req.status == ReliefStatus.PENDING


def test_accepted_the_task_stops_being_expected_of_the_unit_everywhere(demo, lyson, now_report):
    ensure_fresh()
    today = timezone.localdate()
    period = now_report.period
    assert _counted_today(lyson, demo.thientin)
    req = R.relief_request(org=demo.thientin, task=lyson, by=demo.reporter, reason=REASON, report=now_report)
    old_version = now_report.version
    done = R.relief_accept(request=req, by=demo.supervisor, comment="Đồng ý")
    assert done.status == ReliefStatus.ACCEPTED and done.decided_by == demo.supervisor
    assert done.effective_from == R.relief_effective_from(lyson, demo.thientin, today) or done.effective_from <= today
    # The assignment ended the day before (history keeps it), none is open any more.
    ended = Assignment.objects.get(task=lyson, org=demo.thientin)
    assert ended.valid_to is not None and ended.valid_to < done.effective_from
    assert not R.open_assignments_of(lyson, demo.thientin).exists()
    # Reporting: the form, a new period's report, the expected-units rule.
    now_report.refresh_from_db()
    assert not now_report.task_lines.filter(task=lyson).exists()
    assert now_report.version > old_version
    assert lyson not in tasks_of_unit(demo.plan, demo.thientin, period)
    assert demo.thientin in expected_units(demo.plan, period=period)  # it still has other tasks
    # Monitoring: the row no longer counts; its expected pairs still agree with reporting.
    assert not _counted_today(lyson, demo.thientin)
    pairs = {o for o, p in expected_pairs(demo.province, today) if p == demo.plan.pk}
    assert pairs == set(expected_units(demo.plan, demo.province, on=today).values_list("pk", flat=True))
    # Consolidation of the period: the commune is not among the units of task 19.
    row = next(r for r in consolidate(period, demo.province).task_rows if r.task.pk == lyson.pk)
    assert demo.thientin.pk not in {ln.org.pk for ln in row.lines}
    # The unit is told, the history says it in words.
    assert Notification.objects.filter(user=demo.reporter, kind="relief_accepted").exists()
    assert ReportEvent.objects.filter(report=now_report, action="relief_accepted", actor=demo.supervisor).exists()
    assert not R.relief_pending(demo.supervisor).filter(pk=req.pk).exists()
    with pytest.raises(WorkflowError):
        R.relief_refuse(request=req, by=demo.supervisor, comment="Đổi ý")


def test_a_unit_whose_only_task_is_relieved_leaves_the_expected_units(demo, lyson):
    """A unit holding only this one task of the plan is no longer expected at all."""
    from planwatch.orgs.models import Organisation
    from planwatch.orgs.services import grant
    from django.contrib.auth import get_user_model

    today = timezone.localdate()
    lone = (
        Organisation.objects.filter(path__startswith=demo.province.path, valid_to__isnull=True, parent__isnull=False)
        .exclude(pk__in=expected_units(demo.plan, on=today).values("pk")).exclude(relief_requests__isnull=False)
        .order_by("path").first()
    )  # fmt: skip
    Assignment.objects.create(task=lyson, org=lone, role="lead", source_text="Địa phương")
    officer = get_user_model().objects.create_user("canbo.lone")
    grant(officer, org=lone, role="reporter")
    assert lone in expected_units(demo.plan, on=today)
    req = R.relief_request(org=lone, task=lyson, by=officer, reason=REASON)
    R.relief_accept(request=req, by=demo.supervisor)
    assert lone not in expected_units(demo.plan, on=today)
    assert lone.pk not in {o for o, p in expected_pairs(demo.province, today) if p == demo.plan.pk}
    # It never reported on the plan: it never had to (no period of the plan expects it).
    for period in demo.plan.periods.all():
        assert lone not in expected_units(demo.plan, period=period)


def test_refused_nothing_changes_and_the_unit_reads_why(demo, lyson, now_report):
    req = R.relief_request(org=demo.thientin, task=lyson, by=demo.reporter, reason=REASON, report=now_report)
    with pytest.raises(ReportingError):
        R.relief_refuse(request=req, by=demo.supervisor, comment="  ")
    done = R.relief_refuse(request=req, by=demo.supervisor, comment="Xã phối hợp xây dựng mô hình, đề nghị báo cáo phần phối hợp")
    assert done.status == ReliefStatus.REFUSED and done.effective_from is None
    assert R.open_assignments_of(lyson, demo.thientin).exists()
    assert now_report.task_lines.filter(task=lyson).exists()
    n = Notification.objects.get(user=demo.reporter, kind="relief_refused")
    assert "không được chấp nhận" in n.title
    # It may ask again with a better reason.
    again = R.relief_request(org=demo.thientin, task=lyson, by=demo.reporter, reason=REASON + " (bổ sung)", report=now_report)
    assert again.status == ReliefStatus.PENDING
