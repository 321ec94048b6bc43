"""Undo of one-click and destructive actions: each through a service, with its audit row."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from planwatch.monitoring.models import TaskState
from planwatch.reporting.models import Evidence, PeriodKind, ReportEvent, ReportingPeriod, ReportStatus, UnitReport
from planwatch.reporting.selectors import report_history
from planwatch.reporting.services import (
    UNDO_MINUTES,
    NotAllowed,
    ReportData,
    WorkflowError,
    evidence_add,
    evidence_delete,
    evidence_restore,
    period_open,
    period_withdraw,
    period_withdraw_problem,
    report_accept,
    report_accept_undo,
    report_open,
    report_return,
    report_save_draft,
    report_submit,
    report_withdraw_submit,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(report, by, name="bien-ban.pdf"):
    return evidence_add(report=report, by=by, upload=SimpleUploadedFile(name, PDF), task=None)


def _actions(report):
    return list(report.events.order_by("at", "pk").values_list("action", flat=True))


# ------------------------------------------------------------------ evidence


def test_deleted_evidence_disappears_from_the_report_but_keeps_its_file(demo, report):
    ev = _upload(report, demo.reporter)
    evidence_delete(evidence=ev, by=demo.reporter)
    assert not report.evidence.exists()
    kept = Evidence.all_objects.get(pk=ev.pk)
    assert kept.deleted_by == demo.reporter and kept.file.storage.exists(kept.file.name)
    assert _actions(report)[-1] == "evidence_deleted"


def test_deleted_evidence_comes_back_with_undo_and_the_history_says_so(demo, report):
    ev = _upload(report, demo.reporter)
    evidence_delete(evidence=ev, by=demo.reporter)
    evidence_restore(evidence=Evidence.all_objects.get(pk=ev.pk), by=demo.approver)
    assert list(report.evidence.values_list("original_name", flat=True)) == ["bien-ban.pdf"]
    labels = [(row.action_label, row.event.comment) for row in report_history(report)][-2:]
    assert labels == [("Xóa minh chứng", "bien-ban.pdf"), ("Khôi phục minh chứng đã xóa", "bien-ban.pdf")]


def test_deleted_evidence_cannot_be_restored_after_the_undo_window(demo, report):
    ev = _upload(report, demo.reporter)
    evidence_delete(evidence=ev, by=demo.reporter)
    with time_machine.travel(timezone.now() + timedelta(minutes=UNDO_MINUTES + 1), tick=False):
        with pytest.raises(WorkflowError, match="không hoàn tác được"):
            evidence_restore(evidence=Evidence.all_objects.get(pk=ev.pk), by=demo.reporter)
    assert not report.evidence.exists()


def test_someone_outside_the_unit_cannot_delete_or_restore_evidence(demo, report):
    ev = _upload(report, demo.reporter)
    with pytest.raises(NotAllowed):
        evidence_delete(evidence=ev, by=demo.other_dept_reporter)
    evidence_delete(evidence=ev, by=demo.reporter)
    with pytest.raises(NotAllowed):
        evidence_restore(evidence=Evidence.all_objects.get(pk=ev.pk), by=demo.other_dept_reporter)


# ------------------------------------------------------------------ period


def test_a_period_opened_by_mistake_is_withdrawn_with_a_history_row(demo):
    period = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2032, number=7, by=demo.supervisor)
    report_open(period=period, org=demo.thientin, by=demo.reporter)  # opened, nothing written
    assert period_withdraw_problem(period) is None
    label = period_withdraw(period=period, by=demo.supervisor, reason="mở nhầm tháng")
    assert label == period.label
    assert not ReportingPeriod.objects.filter(pk=period.pk).exists()
    assert not UnitReport.objects.filter(period_id=period.pk).exists()
    gone = ReportingPeriod.history.filter(id=period.pk, history_type="-").get()
    assert gone.history_user == demo.supervisor
    assert gone.history_change_reason == "Rút lại kỳ báo cáo mở nhầm: mở nhầm tháng"


def test_a_period_cannot_be_withdrawn_once_a_unit_has_written(demo, period, report):
    line = report.task_lines.first()
    report_save_draft(report=report, by=demo.reporter, data=ReportData(tasks={line.task_id: {"result_to_date": "Đã họp"}}),
                      expected_version=report.version)
    assert "không rút lại được" in period_withdraw_problem(period)
    with pytest.raises(WorkflowError):
        period_withdraw(period=period, by=demo.supervisor)
    assert ReportingPeriod.objects.filter(pk=period.pk).exists()


def test_only_the_standing_agency_withdraws_a_period(demo, period):
    with pytest.raises(NotAllowed):
        period_withdraw(period=period, by=demo.approver)


# ------------------------------------------------------------------ submit


def _ready(report, by):
    """Fill every line so the report may be sent."""
    data = ReportData(tasks={tl.task_id: {"status": "in_progress", "result_to_date": "Đang triển khai"} for tl in report.task_lines.all()})
    return report_save_draft(report=report, by=by, data=data, expected_version=report.version)


def test_the_unit_withdraws_a_sent_report_before_the_standing_agency_acts(demo, report):
    report = report_submit(report=_ready(report, demo.reporter), by=demo.approver)
    back = report_withdraw_submit(report=report, by=demo.approver)
    assert back.status == ReportStatus.DRAFT and back.submitted_at is None and back.is_editable
    assert _actions(back)[-2:] == ["submitted", "submit_withdrawn"]
    assert report_history(back)[-1].status_change == "đã gửi → nháp"


def test_a_returned_report_withdrawn_after_resending_is_returned_again_with_its_first_send_date(demo, report):
    report = report_submit(report=_ready(report, demo.reporter), by=demo.approver)
    first_sent = report.submitted_at
    report = report_return(report=report, by=demo.supervisor, comment="Bổ sung minh chứng")
    report = report_submit(report=report, by=demo.approver)
    back = report_withdraw_submit(report=report, by=demo.approver)
    assert back.status == ReportStatus.RETURNED
    # the first send is on record again (its event time: the same instant to the millisecond)
    assert abs(back.submitted_at - first_sent) < timedelta(seconds=1) and back.submitted_by == demo.approver


def test_a_sent_report_cannot_be_withdrawn_once_accepted_or_by_the_officer(demo, report):
    report = report_submit(report=_ready(report, demo.reporter), by=demo.approver)
    with pytest.raises(NotAllowed):
        report_withdraw_submit(report=report, by=demo.reporter)  # the head sends, the head withdraws
    report = report_accept(report=report, by=demo.supervisor)
    with pytest.raises(WorkflowError, match="đã tiếp nhận"):
        report_withdraw_submit(report=report, by=demo.approver)


# ------------------------------------------------------------------ accept


def test_the_standing_agency_undoes_an_acceptance_and_monitoring_forgets_it(demo, report):
    report = report_submit(report=_ready(report, demo.reporter), by=demo.approver)
    report = report_accept(report=report, by=demo.supervisor)
    assert TaskState.objects.filter(report_id=report.pk).exists()
    back = report_accept_undo(report=report, by=demo.supervisor)
    assert back.status == ReportStatus.SUBMITTED and back.accepted_at is None and back.accepted_by is None
    assert _actions(back)[-1] == "accept_undone"
    assert report_history(back)[-1].action_label == "Hủy tiếp nhận báo cáo"
    assert not TaskState.objects.filter(report_id=report.pk).exists()
    # and it can be accepted again
    assert report_accept(report=back, by=demo.supervisor).status == ReportStatus.ACCEPTED


def test_only_the_standing_agency_undoes_an_acceptance(demo, report):
    report = report_submit(report=_ready(report, demo.reporter), by=demo.approver)
    report = report_accept(report=report, by=demo.supervisor)
    with pytest.raises(NotAllowed):
        report_accept_undo(report=report, by=demo.approver)
    with pytest.raises(WorkflowError):
        report_accept_undo(report=report_return(report=report, by=demo.supervisor, comment="Thiếu số liệu"), by=demo.supervisor)


def test_undo_events_are_audited_with_the_actor(demo, report):
    report = report_submit(report=_ready(report, demo.reporter), by=demo.approver)
    report_withdraw_submit(report=report, by=demo.approver)
    ev = ReportEvent.objects.filter(report=report, action="submit_withdrawn").get()
    assert ev.actor == demo.approver and ev.from_status == "submitted" and ev.to_status == "draft"
    h = UnitReport.history.filter(id=report.pk).order_by("-history_id").first()
    assert h.history_change_reason == "Rút lại báo cáo đã gửi" and h.history_user == demo.approver
