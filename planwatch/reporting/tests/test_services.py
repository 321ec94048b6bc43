from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from planwatch.reporting.models import OutboxMessage, ProgressStatus, ReportEvent, ReportStatus
from planwatch.reporting.services import (
    NotAllowed,
    ReportData,
    ReportingError,
    VersionConflict,
    WorkflowError,
    report_accept,
    report_open,
    report_return,
    report_save_draft,
    report_send_back,
    report_submit,
    send_reminders,
)
from planwatch.reporting.signals import report_status_changed


def _save(report, by, **task_fields):
    line = report.task_lines.order_by("task__position").first()
    data = ReportData(tasks={line.task_id: task_fields})
    return report_save_draft(report=report, by=by, data=data, expected_version=report.version), line


def test_opening_a_report_lists_every_assigned_task_and_responsible_indicator(demo, report):
    from planwatch.plans.models import Assignment

    assert report.status == ReportStatus.DRAFT
    assert report.task_lines.count() == Assignment.objects.filter(task__plan=demo.plan, org=demo.thientin).values("task").distinct().count()
    skhcn = report_open(period=report.period, org=demo.skhcn, by=demo.dept_reporter)
    assert skhcn.indicator_values.count() == demo.plan.indicators.filter(responsible=demo.skhcn, is_group=False).count()


def test_a_new_report_is_prefilled_from_the_previous_period(demo, report):
    from planwatch.reporting.models import PeriodKind
    from planwatch.reporting.services import period_open

    saved, line = _save(report, demo.reporter, status="in_progress", result_to_date="Đã ban hành kế hoạch")
    nxt = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=4)
    new = report_open(period=nxt, org=demo.thientin, by=demo.reporter)
    copied = new.task_lines.get(task=line.task)
    assert (copied.status, copied.result_to_date) == ("in_progress", "Đã ban hành kế hoạch")


def test_saving_a_draft_bumps_the_version_and_keeps_the_text(demo, report):
    saved, line = _save(report, demo.reporter, status="done", completed_on=date(2025, 3, 2), result_to_date="Xong")
    assert saved.version == report.version + 1
    line.refresh_from_db()
    assert (line.status, line.completed_on, line.result_to_date) == ("done", date(2025, 3, 2), "Xong")


def test_a_completion_date_in_the_future_is_refused_by_the_service(demo, report):
    from datetime import timedelta

    from django.utils import timezone

    line = report.task_lines.select_related("task").order_by("task__position").first()
    before = (line.status, line.completed_on, line.result_to_date)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ReportingError) as exc:
        _save(report, demo.reporter, status="done", completed_on=tomorrow, result_to_date="Xong sớm")
    assert str(exc.value) == (
        f"Chưa lưu. Ngày hoàn thành của nhiệm vụ {line.task.code} ({tomorrow:%d/%m/%Y}) không được ở tương lai."
    )
    line.refresh_from_db()
    report.refresh_from_db()
    assert (line.status, line.completed_on, line.result_to_date) == before
    assert report.__class__.objects.get(pk=report.pk).version == report.version  # nothing was written
    # Today is not the future.
    saved, _ = _save(report, demo.reporter, status="done", completed_on=timezone.localdate(), result_to_date="Xong")
    assert saved.version == report.version + 1


def test_a_percentage_numerator_above_its_denominator_is_refused_by_the_service(demo, period):
    dept = report_open(period=period, org=demo.skhcn, by=demo.dept_reporter)
    iv = dept.indicator_values.select_related("indicator").filter(indicator__kind="ratio", indicator__unit="%").first()
    before = (iv.numerator, iv.denominator, iv.value)

    def save(num, den):
        data = ReportData(indicators={iv.indicator_id: {"numerator": Decimal(num), "denominator": Decimal(den), "value": None, "note": ""}})
        return report_save_draft(report=dept, by=demo.dept_reporter, data=data, expected_version=dept.__class__.objects.get(pk=dept.pk).version)

    with pytest.raises(ReportingError) as exc:
        save("1200.5", "1000")
    assert str(exc.value) == (
        f"Chưa lưu. Tử số của chỉ tiêu {iv.indicator.code} (1.200,5) không được lớn hơn mẫu số (1.000)."
    )
    iv.refresh_from_db()
    assert (iv.numerator, iv.denominator, iv.value) == before
    save("1000", "1000")  # 100% is allowed
    iv.refresh_from_db()
    assert (iv.numerator, iv.denominator) == (Decimal(1000), Decimal(1000))


def test_a_second_save_from_an_old_version_is_refused_and_shows_what_changed(demo, report):
    start = report.version
    line = report.task_lines.order_by("task__position").first()
    report_save_draft(report=report, by=demo.approver, data=ReportData(tasks={line.task_id: {"result_to_date": "Bản của chủ tịch"}}), expected_version=start)
    with pytest.raises(VersionConflict) as exc:
        report_save_draft(report=report, by=demo.reporter, data=ReportData(tasks={line.task_id: {"result_to_date": "Bản của cán bộ"}}), expected_version=start)
    conflict = exc.value
    assert conflict.by_name == "Trần Văn Hùng"
    assert [(c.label, c.after) for c in conflict.changes] == [(f"Nhiệm vụ {line.task.code}: kết quả đến thời điểm báo cáo", "Bản của chủ tịch")]
    line.refresh_from_db()
    assert line.result_to_date == "Bản của chủ tịch"


def test_the_full_workflow_records_who_when_and_the_comment(demo, report):
    report = report_submit(report=report, by=demo.approver)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == demo.approver
    report = report_return(report=report, by=demo.supervisor, comment="Bổ sung minh chứng")
    assert report.status == ReportStatus.RETURNED
    _save(report, demo.reporter, result_to_date="Đã bổ sung")
    report.refresh_from_db()
    report = report_submit(report=report, by=demo.approver)
    report = report_accept(report=report, by=demo.supervisor)
    assert report.status == ReportStatus.ACCEPTED and report.accepted_by == demo.supervisor
    events = list(report.events.values_list("action", "from_status", "to_status", "actor__username", "comment"))
    assert events == [
        ("created", "", "draft", "canbo.thientin", ""),
        ("submitted", "draft", "submitted", "chutich.thientin", ""),
        ("returned", "submitted", "returned", "thuongtruc.skhcn", "Bổ sung minh chứng"),
        ("submitted", "returned", "submitted", "chutich.thientin", ""),
        ("accepted", "submitted", "accepted", "thuongtruc.skhcn", ""),
    ]


def test_each_transition_sends_the_signal_inside_the_transaction(demo, report):
    seen = []

    def listener(sender, report, actor, action, **kw):
        from django.db import connection

        seen.append((action, actor.username, connection.in_atomic_block))

    report_status_changed.connect(listener)
    try:
        report = report_submit(report=report, by=demo.approver)
        report_accept(report=report, by=demo.supervisor)
    finally:
        report_status_changed.disconnect(listener)
    assert [(a, u) for a, u, _ in seen] == [("submitted", "chutich.thientin"), ("accepted", "thuongtruc.skhcn")]
    assert all(atomic for *_, atomic in seen)


def test_notifications_are_queued_only_after_commit(demo, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_submit(report=report, by=demo.approver)
    assert not OutboxMessage.objects.filter(report=report).exists()
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails queued by the callback
        for cb in callbacks:
            cb()
    msg = OutboxMessage.objects.get(report=report, kind="submitted")
    assert msg.to == "thuongtruc.skhcn@demo.planwatch.local" and msg.sent_at is not None
    assert mail.outbox[-1].subject == msg.subject


def test_a_reporter_cannot_submit(demo, report):
    with pytest.raises(NotAllowed):
        report_submit(report=report, by=demo.reporter)


def test_an_approver_cannot_accept_his_own_units_report(demo, report):
    report = report_submit(report=report, by=demo.approver)
    with pytest.raises(NotAllowed):
        report_accept(report=report, by=demo.approver)


def test_a_draft_cannot_be_accepted_or_returned(demo, report):
    with pytest.raises(WorkflowError):
        report_accept(report=report, by=demo.supervisor)
    with pytest.raises(WorkflowError):
        report_return(report=report, by=demo.supervisor, comment="x")


def test_a_submitted_report_cannot_be_submitted_again_or_edited(demo, report):
    report = report_submit(report=report, by=demo.approver)
    with pytest.raises(WorkflowError):
        report_submit(report=report, by=demo.approver)
    with pytest.raises(WorkflowError):
        _save(report, demo.reporter, result_to_date="sửa lén")


def test_an_accepted_report_is_edited_only_after_it_is_returned(demo, report):
    report = report_accept(report=report_submit(report=report, by=demo.approver), by=demo.supervisor)
    with pytest.raises(WorkflowError):
        _save(report, demo.reporter, result_to_date="sửa lén")
    report = report_return(report=report, by=demo.supervisor, comment="Mở lại để bổ sung")
    saved, _ = _save(report, demo.reporter, result_to_date="Đã bổ sung")
    assert saved.status == ReportStatus.RETURNED


def test_returning_needs_a_comment(demo, report):
    report = report_submit(report=report, by=demo.approver)
    with pytest.raises(ReportingError, match="lý do"):
        report_return(report=report, by=demo.supervisor, comment="  ")


def test_the_approver_sends_a_draft_back_to_the_officer(demo, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_send_back(report=report, by=demo.approver, comment="Viết rõ hơn nhiệm vụ 3")
    assert report.status == ReportStatus.DRAFT
    ev = report.events.last()
    assert (ev.action, ev.comment) == ("sent_back", "Viết rõ hơn nhiệm vụ 3")
    assert OutboxMessage.objects.filter(report=report, kind="sent_back", to="canbo.thientin@demo.planwatch.local").exists()


def test_a_supervisor_of_another_tree_cannot_review(demo, report, django_user_model):
    from planwatch.orgs.services import grant

    outsider = django_user_model.objects.create(username="tt.syt")
    grant(outsider, org=demo.syt, role="supervisor")  # supervisor of its own department only
    report = report_submit(report=report, by=demo.approver)
    with pytest.raises(NotAllowed):
        report_accept(report=report, by=outsider)


def test_saving_a_task_outside_the_report_is_refused(demo, report):
    other = demo.plan.tasks.exclude(pk__in=report.task_lines.values("task_id")).first()
    with pytest.raises(NotAllowed):
        report_save_draft(report=report, by=demo.reporter, data=ReportData(tasks={other.pk: {"result_to_date": "x"}}), expected_version=report.version)


def test_reminders_go_to_units_that_have_not_sent_and_not_twice_a_day(demo, report):
    first = send_reminders(report.period, demo.supervisor)
    assert first and demo.thientin in first.reminded
    assert OutboxMessage.objects.filter(pk__in=first.outbox_ids, org=demo.thientin, to="canbo.thientin@demo.planwatch.local").exists()
    again = send_reminders(report.period, demo.supervisor)
    assert not again and again.already == len(first.reminded) and not again.outbox_ids
    report_submit(report=report, by=demo.approver)
    orgs = set(OutboxMessage.objects.filter(pk__in=first.outbox_ids).values_list("org_id", flat=True))
    assert demo.thientin.pk in orgs


def test_the_reminder_job_is_idempotent(demo, report, django_capture_on_commit_callbacks):
    from planwatch.reporting.tasks import deliver_outbox, send_reminders_task

    with django_capture_on_commit_callbacks(execute=True):
        n = send_reminders_task.delay(report.period.pk, demo.supervisor.pk).get()
    assert n["reminded"] and n["people"] > 0
    msg = OutboxMessage.objects.filter(period=report.period, to__contains="@").first()
    sent = len(mail.outbox)
    assert deliver_outbox.delay(msg.pk).get() is False  # already sent
    assert len(mail.outbox) == sent


def test_only_supervisors_send_reminders(demo, report):
    with pytest.raises(NotAllowed):
        send_reminders(report.period, demo.approver)


# ---------------------------------------------------------------- self-rating (xanh/vàng/đỏ)


def test_a_red_or_amber_self_rating_without_explanation_is_not_saved(demo, report):
    line = report.task_lines.select_related("task").order_by("task__position").first()
    before = (line.rating, line.result_to_date)
    for rating, word in (("red", "đỏ"), ("amber", "vàng")):
        with pytest.raises(ReportingError) as exc:
            _save(report, demo.reporter, rating=rating, rating_explanation="   ", result_to_date="Đang làm")
        assert str(exc.value) == (
            f"Chưa lưu. Nhiệm vụ tự đánh giá mức {word} phải có giải trình lý do (nhiệm vụ {line.task.code})."
        )
    line.refresh_from_db()
    report.refresh_from_db()
    assert (line.rating, line.result_to_date) == before
    assert report.__class__.objects.get(pk=report.pk).version == report.version  # nothing was written


def test_a_red_self_rating_with_its_explanation_is_saved_and_carried_to_the_next_period(demo, report):
    from planwatch.reporting.models import PeriodKind
    from planwatch.reporting.services import period_open

    _save(report, demo.reporter, rating="red", rating_explanation="Chưa có kinh phí")
    line = report.task_lines.order_by("task__position").first()
    assert (line.rating, line.rating_explanation) == ("red", "Chưa có kinh phí")
    _save(report.__class__.objects.get(pk=report.pk), demo.reporter, rating="green", rating_explanation="")
    line.refresh_from_db()
    assert (line.rating, line.rating_explanation) == ("green", "")
    nxt = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=4)
    _save(report.__class__.objects.get(pk=report.pk), demo.reporter, rating="amber", rating_explanation="Chậm nhân lực")
    new = report_open(period=nxt, org=demo.thientin, by=demo.reporter)
    copied = new.task_lines.get(task=line.task)
    assert (copied.rating, copied.rating_explanation) == ("amber", "Chậm nhân lực")


def test_an_unknown_rating_is_refused(demo, report):
    with pytest.raises(ReportingError, match="không hợp lệ"):
        _save(report, demo.reporter, rating="purple")


def test_a_report_with_an_unexplained_red_line_cannot_be_submitted(demo, report):
    from planwatch.reporting.models import TaskProgress

    # Written behind the service's back (an import, the admin, old data): submit still checks.
    line = report.task_lines.select_related("task").order_by("task__position").first()
    TaskProgress.objects.filter(pk=line.pk).update(rating="red", rating_explanation="")
    with pytest.raises(ReportingError) as exc:
        report_submit(report=report, by=demo.approver)
    assert str(exc.value) == (
        f"Chưa gửi được báo cáo. Nhiệm vụ tự đánh giá mức đỏ phải có giải trình lý do (nhiệm vụ {line.task.code})."
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    TaskProgress.objects.filter(pk=line.pk).update(rating_explanation="Thiếu kinh phí")
    assert report_submit(report=report, by=demo.approver).status == ReportStatus.SUBMITTED
