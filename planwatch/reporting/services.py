"""Every change to reporting data is one of these functions (STYLE habit 3): inside one
transaction they lock the row, check the current state and who acts, write, record a
ReportEvent naming the actor, send `report_status_changed` (inside the transaction, so
monitoring's roll-ups commit or roll back with the change) and queue notifications with
`transaction.on_commit` (so nobody is told about a change that was rolled back).

Workflow: nháp → đã gửi → bị trả lại → đã gửi → đã tiếp nhận; an approver may also send a
draft back to the officer (event "sent_back", status stays nháp)."""

from __future__ import annotations

import mimetypes
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import filetype
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from planwatch.lib.acting import acting_as
from planwatch.lib.text import user_full_name
from planwatch.reporting.rules import rating_explanation_error
from planwatch.orgs.access import roles_over
from planwatch.orgs.models import Organisation, Role
from planwatch.plans.models import IndicatorKind, Plan, Task

from . import periods as P
from .access import EDIT_ROLES, TRANSITION_ROLES, can_manage_plan
from .models import (
    Evidence,
    IndicatorValue,
    OutboxMessage,
    PeriodKind,
    ProgressStatus,
    Rating,
    ReportEvent,
    ReportingPeriod,
    ReportRevision,
    ReportStatus,
    TaskProgress,
    UnitReport,
)
from .selectors import expected_units, indicators_of_unit, previous_report, tasks_of_unit
from .signals import report_status_changed

TASK_FIELDS = ("status", "completed_on", "result_to_date", "expected_next", "obstacles", "rating", "rating_explanation")
VALUE_FIELDS = ("value", "numerator", "denominator", "note")
GENERAL_FIELDS = ("general_obstacles", "general_recommendations")
FIELD_LABELS = {
    "status": "tình hình",
    "completed_on": "ngày hoàn thành",
    "result_to_date": "kết quả đến thời điểm báo cáo",
    "expected_next": "dự kiến kết quả kỳ tới",
    "obstacles": "vướng mắc, kiến nghị",
    "rating": "tự đánh giá",
    "rating_explanation": "giải trình",
    "value": "giá trị",
    "numerator": "tử số",
    "denominator": "mẫu số",
    "note": "ghi chú",
    "general_obstacles": "khó khăn, vướng mắc chung",
    "general_recommendations": "kiến nghị, đề xuất chung",
}

ALLOWED_UPLOADS = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "image/png": ".png",
    "image/jpeg": ".jpg",
}


class ReportingError(Exception):
    """A refused action; the message is Vietnamese and meant for the user."""


class WorkflowError(ReportingError):
    pass


class NotAllowed(ReportingError):
    pass


@dataclass
class Change:
    key: str
    label: str
    before: str
    after: str


class VersionConflict(ReportingError):
    """Someone saved the report after the version this save started from."""

    def __init__(self, *, current_version: int, changes: list[Change], by_name: str):
        self.current_version = current_version
        self.changes = changes
        self.by_name = by_name
        super().__init__(
            f"{by_name or 'Người khác'} đã lưu báo cáo này sau khi bạn mở nó; lần lưu của bạn chưa được ghi "
            "để không ghi đè. Nội dung bạn đã nhập vẫn còn trên màn hình."
        )


@dataclass
class ReportData:
    """Cleaned content of a report form: per task id and per indicator id."""

    tasks: dict[int, dict[str, Any]] = field(default_factory=dict)
    indicators: dict[int, dict[str, Any]] = field(default_factory=dict)
    general: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- helpers


def _require(by, org: Organisation, roles: set[str], what: str) -> None:
    if not roles_over(by, org) & roles:
        raise NotAllowed(f"Bạn không có quyền {what} báo cáo của {org.name}")


def _user_name(user) -> str:
    # Vietnamese order: family name first ("Trần Văn Hùng"), unlike get_full_name().
    return user_full_name(user)


def _line_problem(tl: TaskProgress) -> str | None:
    """What is wrong with a progress line's self-rating, as a Vietnamese sentence naming the
    task, or None. The web form shows the same rule beside the field."""
    if tl.rating and tl.rating not in Rating.values:
        return f"Mức tự đánh giá của nhiệm vụ {tl.task.code} không hợp lệ (xanh, vàng hoặc đỏ)."
    msg = rating_explanation_error(tl.rating, tl.rating_explanation)
    return f"{msg.rstrip('.')} (nhiệm vụ {tl.task.code})." if msg else None


def is_ratio(ind) -> bool:
    """An indicator entered as numerator and denominator."""
    return ind.kind == IndicatorKind.RATIO


def is_percent(ind) -> bool:
    return (ind.unit or "").strip().startswith("%")


def _saved_line_problems(tl: TaskProgress, today: date) -> list[str]:
    """What stops a progress line from being saved, as Vietnamese sentences naming the task."""
    problems = []
    if tl.completed_on and tl.completed_on > today:
        problems.append(
            f"Ngày hoàn thành của nhiệm vụ {tl.task.code} ({tl.completed_on:%d/%m/%Y}) không được ở tương lai."
        )
    rating = _line_problem(tl)
    if rating:
        problems.append(rating)
    return problems


def _value_problem(iv: IndicatorValue) -> str | None:
    """A percentage whose numerator exceeds its denominator cannot be saved."""
    num, den = iv.numerator, iv.denominator
    if num is not None and den is not None and is_percent(iv.indicator) and num > den:
        return (
            f"Tử số của chỉ tiêu {iv.indicator.code} ({_str(num)}) không được lớn hơn mẫu số ({_str(den)})."
        )
    return None


def _str(v) -> str:
    if v is None:
        return ""
    if isinstance(v, date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, Decimal):
        from planwatch.lib.numbers import format_vn_number

        return format_vn_number(v)
    return str(v)


def snapshot(report: UnitReport) -> dict[str, str]:
    """The report's content as flat strings keyed "t<task>.<field>", "i<ind>.<field>"."""
    data: dict[str, str] = {f: getattr(report, f) for f in GENERAL_FIELDS}
    for tl in report.task_lines.all():
        for f in TASK_FIELDS:
            # The rating as people read it (“đỏ”), so that a conflict lists words, not codes.
            data[f"t{tl.task_id}.{f}"] = tl.get_rating_display() if f == "rating" else _str(getattr(tl, f))
    for iv in report.indicator_values.all():
        for f in VALUE_FIELDS:
            data[f"i{iv.indicator_id}.{f}"] = _str(getattr(iv, f))
    return data


def _key_label(report: UnitReport, key: str) -> str:
    if "." not in key:
        return FIELD_LABELS.get(key, key)
    obj, f = key.split(".", 1)
    if obj.startswith("t"):
        code = Task.objects.filter(pk=int(obj[1:])).values_list("code", flat=True).first()
        return f"Nhiệm vụ {code}: {FIELD_LABELS.get(f, f)}"
    from planwatch.plans.models import Indicator

    code = Indicator.objects.filter(pk=int(obj[1:])).values_list("code", flat=True).first()
    return f"Chỉ tiêu {code}: {FIELD_LABELS.get(f, f)}"


def _record_revision(report: UnitReport, by) -> None:
    fresh = UnitReport.objects.prefetch_related("task_lines", "indicator_values").get(pk=report.pk)
    ReportRevision.objects.create(report=report, version=report.version, data=snapshot(fresh), by=by, at=timezone.now())


def _event(report: UnitReport, *, action: str, by, from_status: str, comment: str = "") -> ReportEvent:
    return ReportEvent.objects.create(
        report=report, action=action, from_status=from_status, to_status=report.status,
        actor=by, at=timezone.now(), comment=comment,
    )


# ---------------------------------------------------------------- periods


def periods_from_schedule(plan: Plan, *, year: int) -> list[P.PeriodSpec]:
    """The periods the plan's schedule gives for `year` (not saved): what the supervisor
    may open. Ad hoc plans give none (periods are opened one by one)."""
    return P.schedule_specs(plan.reporting_schedule, year, due_day=P.due_day_of(plan))


@transaction.atomic
def period_open(
    *,
    plan: Plan,
    kind: str,
    year: int,
    number: int = 0,
    by=None,
    start: date | None = None,
    end: date | None = None,
    due_date: date | None = None,
    label: str = "",
    is_sample: bool = False,
) -> ReportingPeriod:
    """Open a period (idempotent for calendar periods: an already open one is returned).
    Ad hoc periods need `end` (and default to start = end, due on the plan's due day of the
    next month, periods.due_date_for)."""
    if by is not None and not can_manage_plan(by, plan):
        raise NotAllowed("Chỉ cơ quan thường trực mới được mở kỳ báo cáo")
    due_day = P.due_day_of(plan)
    if kind == PeriodKind.AD_HOC:
        if end is None:
            raise ReportingError("Kỳ báo cáo đột xuất cần có ngày kết thúc")
        start = start or end
        if start > end:
            raise ReportingError("Ngày bắt đầu phải trước ngày kết thúc")
        return ReportingPeriod.objects.create(
            plan=plan, kind=kind, year=end.year, number=0, label=label or P.label_for(kind, end.year, 0, end=end),
            start=start, end=end, due_date=due_date or P.due_date_for(plan, end), opened_by=by, is_sample=is_sample,
        )
    existing = ReportingPeriod.objects.filter(plan=plan, kind=kind, year=year, number=number).first()
    if existing:
        return existing
    spec = P.spec_for(kind, year, number, due_day=due_day)
    return ReportingPeriod.objects.create(
        plan=plan, kind=kind, year=year, number=number, label=label or spec.label, start=spec.start, end=spec.end,
        due_date=due_date or spec.due_date, opened_by=by, is_sample=is_sample,
    )


# ---------------------------------------------------------------- reports


@transaction.atomic
def report_open(*, period: ReportingPeriod, org: Organisation, by=None) -> UnitReport:
    """The unit's report for the period, created on first open with a line for every task
    assigned to the unit and every indicator it is responsible for, prefilled from its
    previous report. An open draft also gains lines for tasks assigned since."""
    if by is not None:
        _require(by, org, EDIT_ROLES | {Role.SUPERVISOR, Role.LEADER}, "xem")
    report, created = UnitReport.objects.get_or_create(period=period, org=org, defaults={"updated_by": by})
    if not created and not report.is_editable:
        return report
    tasks = tasks_of_unit(period.plan, org, period)
    indicators = indicators_of_unit(period.plan, org, period)
    have_tasks = set(report.task_lines.values_list("task_id", flat=True))
    have_inds = set(report.indicator_values.values_list("indicator_id", flat=True))
    prev = previous_report(period, org) if (len(have_tasks) < len(tasks) or len(have_inds) < len(indicators)) else None
    prev_lines = {tl.task_id: tl for tl in prev.task_lines.all()} if prev else {}
    prev_values = {iv.indicator_id: iv for iv in prev.indicator_values.all()} if prev else {}
    new_lines = []
    for t in tasks:
        if t.pk in have_tasks:
            continue
        p = prev_lines.get(t.pk)
        new_lines.append(
            TaskProgress(
                report=report, task=t,
                status=p.status if p else ProgressStatus.NOT_STARTED,
                completed_on=p.completed_on if p else None,
                result_to_date=p.result_to_date if p else "",
                expected_next=p.expected_next if p else "",
                obstacles=p.obstacles if p else "",
                rating=p.rating if p else "",
                rating_explanation=p.rating_explanation if p else "",
            )
        )
    new_values = []
    for i in indicators:
        if i.pk in have_inds:
            continue
        p = prev_values.get(i.pk)
        new_values.append(
            IndicatorValue(
                report=report, indicator=i, value=p.value if p else None, numerator=p.numerator if p else None,
                denominator=p.denominator if p else None, note=p.note if p else "",
            )
        )
    TaskProgress.objects.bulk_create(new_lines)
    IndicatorValue.objects.bulk_create(new_values)
    if created:
        if prev:
            report.general_obstacles = prev.general_obstacles
            report.general_recommendations = prev.general_recommendations
            report.save(update_fields=["general_obstacles", "general_recommendations"])
        _event(report, action="created", by=by, from_status="")
    if created or new_lines or new_values:
        ReportRevision.objects.filter(report=report, version=report.version).delete()
        _record_revision(report, by)
    return report


def _diff(report: UnitReport, expected_version: int, current: dict[str, str]) -> list[Change]:
    base = ReportRevision.objects.filter(report=report, version=expected_version).values_list("data", flat=True).first()
    if base is None:
        return []
    return [
        Change(k, _key_label(report, k), base.get(k, ""), v)
        for k, v in current.items()
        if base.get(k, "") != v
    ]


@transaction.atomic
def report_save_draft(*, report: UnitReport, by, data: ReportData, expected_version: int) -> UnitReport:
    """Save the content of an editable report. Refused with VersionConflict when the
    report was saved (or changed state) after `expected_version`."""
    locked = UnitReport.objects.select_for_update(of=("self",)).select_related("period", "org", "updated_by").get(pk=report.pk)
    _require(by, locked.org, EDIT_ROLES, "sửa")
    if not locked.is_editable:
        raise WorkflowError(
            f"Báo cáo đang ở trạng thái “{locked.get_status_display()}”: không sửa được "
            "(chỉ sửa được khi là nháp hoặc bị trả lại)"
        )
    lines = {tl.task_id: tl for tl in locked.task_lines.select_related("task")}
    values = {iv.indicator_id: iv for iv in locked.indicator_values.select_related("indicator")}
    if set(data.tasks) - set(lines) or set(data.indicators) - set(values):
        raise NotAllowed("Dữ liệu gửi lên có nhiệm vụ hoặc chỉ tiêu không thuộc báo cáo này")
    if locked.version != expected_version:
        fresh = UnitReport.objects.prefetch_related("task_lines", "indicator_values").get(pk=locked.pk)
        raise VersionConflict(
            current_version=locked.version,
            changes=_diff(locked, expected_version, snapshot(fresh)),
            by_name=_user_name(locked.updated_by),
        )
    for task_id, fields in data.tasks.items():
        tl = lines[task_id]
        for f in TASK_FIELDS:
            if f in fields:
                setattr(tl, f, fields[f] if fields[f] is not None or f == "completed_on" else "")
        if tl.status != ProgressStatus.DONE:
            tl.completed_on = None
    today = timezone.localdate()
    problems = [p for task_id in data.tasks for p in _saved_line_problems(lines[task_id], today)]
    for ind_id, fields in data.indicators.items():
        iv = values[ind_id]
        for f in VALUE_FIELDS:
            if f in fields:
                setattr(iv, f, fields[f] if f != "note" else (fields[f] or ""))
        problem = _value_problem(iv)
        if problem:
            problems.append(problem)
    if problems:
        raise ReportingError("Chưa lưu. " + " ".join(problems))
    TaskProgress.objects.bulk_update(list(lines.values()), list(TASK_FIELDS))
    IndicatorValue.objects.bulk_update(list(values.values()), list(VALUE_FIELDS))
    for f in GENERAL_FIELDS:
        if f in data.general:
            setattr(locked, f, data.general[f] or "")
    locked.version += 1
    locked.updated_by = by
    locked.save()
    _record_revision(locked, by)
    return locked


def _transition(
    report: UnitReport, by, *, allowed_from: tuple[str, ...], to: str | None, action: str, roles: set[str],
    what: str, comment: str = "", require_comment: bool = False, check_lines: bool = False,
) -> UnitReport:
    locked = UnitReport.objects.select_for_update(of=("self",)).select_related("period__plan", "org").get(pk=report.pk)
    _require(by, locked.org, roles, what)
    if locked.status not in allowed_from:
        raise WorkflowError(
            f"Không thể {what} báo cáo đang ở trạng thái “{locked.get_status_display()}”"
        )
    if check_lines:
        lines = locked.task_lines.select_related("task").order_by("task__position")
        problems = [p for p in (_line_problem(tl) for tl in lines) if p]
        if problems:
            raise ReportingError(f"Chưa {what} được báo cáo. " + " ".join(problems))
    comment = (comment or "").strip()
    if require_comment and not comment:
        raise ReportingError("Cần ghi lý do (ý kiến) khi trả lại báo cáo")
    from_status = locked.status
    now = timezone.now()
    locked.status = to or locked.status  # None: the status stays (sent_back)
    # Any open edit form now carries an old version, so it cannot overwrite the new state.
    locked.version += 1
    if action == "submitted":
        locked.submitted_at, locked.submitted_by = now, by
    if action == "accepted":
        locked.accepted_at, locked.accepted_by = now, by
    if action == "returned":
        locked.accepted_at = locked.accepted_by = None
    locked.save()
    _record_revision(locked, by)
    event = _event(locked, action=action, by=by, from_status=from_status, comment=comment)
    report_status_changed.send(sender=UnitReport, report=locked, actor=by, action=action)
    transaction.on_commit(lambda: notify_report_event(event.pk))
    return locked


@transaction.atomic
def report_submit(*, report: UnitReport, by) -> UnitReport:
    return _transition(
        report, by, allowed_from=(ReportStatus.DRAFT, ReportStatus.RETURNED), to=ReportStatus.SUBMITTED,
        action="submitted", roles=TRANSITION_ROLES["submit"], what="gửi", check_lines=True,
    )


@transaction.atomic
def report_send_back(*, report: UnitReport, by, comment: str) -> UnitReport:
    """The head of unit hands the draft back to the officer with a comment."""
    return _transition(
        report, by, allowed_from=(ReportStatus.DRAFT, ReportStatus.RETURNED), to=None,
        action="sent_back", roles=TRANSITION_ROLES["send_back"], what="chuyển lại cho cán bộ", comment=comment, require_comment=True,
    )


@transaction.atomic
def report_return(*, report: UnitReport, by, comment: str) -> UnitReport:
    return _transition(
        report, by, allowed_from=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED), to=ReportStatus.RETURNED,
        action="returned", roles=TRANSITION_ROLES["return"], what="trả lại", comment=comment, require_comment=True,
    )


@transaction.atomic
def report_accept(*, report: UnitReport, by, comment: str = "") -> UnitReport:
    return _transition(
        report, by, allowed_from=(ReportStatus.SUBMITTED,), to=ReportStatus.ACCEPTED,
        action="accepted", roles=TRANSITION_ROLES["accept"], what="tiếp nhận", comment=comment,
    )


# ---------------------------------------------------------------- evidence


def sniff_upload(head: bytes) -> str | None:
    """The MIME type read from the content (never from the name), if allowed."""
    kind = filetype.guess(head)
    return kind.mime if kind and kind.mime in ALLOWED_UPLOADS else None


@transaction.atomic
def evidence_add(*, report: UnitReport, by, upload, task: Task | None = None) -> Evidence:
    locked = UnitReport.objects.select_for_update(of=("self",)).select_related("org").get(pk=report.pk)
    _require(by, locked.org, EDIT_ROLES, "thêm minh chứng cho")
    if not locked.is_editable:
        raise WorkflowError("Báo cáo đã gửi hoặc đã tiếp nhận: không thêm minh chứng được")
    if task is not None and not locked.task_lines.filter(task=task).exists():
        raise NotAllowed("Nhiệm vụ không thuộc báo cáo này")
    limit = settings.PLANWATCH_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ReportingError(f"Tệp “{upload.name}” quá lớn: tối đa {limit // (1024 * 1024)} MB")
    if upload.size == 0:
        raise ReportingError(f"Tệp “{upload.name}” rỗng")
    upload.seek(0)
    # DOCX/XLSX are ZIP files told apart by their member names, which can sit well past the
    # first kilobytes: read a generous head.
    head = upload.read(2 * 1024 * 1024)
    upload.seek(0)
    mime = sniff_upload(head)
    if mime is None:
        raise ReportingError(
            f"Tệp “{upload.name}” không phải PDF, DOCX, XLSX, PNG hoặc JPEG (kiểm tra theo nội dung tệp, không theo tên)"
        )
    ev = Evidence(
        report=locked, task=task, original_name=upload.name[:255], content_type=mime, size=upload.size, uploaded_by=by,
    )
    ev.file.save(f"{uuid.uuid4().hex}{ALLOWED_UPLOADS[mime]}", upload, save=False)
    ev.save()
    ReportEvent.objects.create(
        report=locked, action="evidence_added", from_status=locked.status, to_status=locked.status,
        actor=by, at=timezone.now(), comment=ev.original_name,
    )
    return ev


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by) -> Evidence:
    """Soft delete: the file disappears from the report at once but can be put back
    (evidence_restore) for UNDO_MINUTES; the stored file is kept."""
    locked = UnitReport.objects.select_for_update(of=("self",)).select_related("org").get(pk=evidence.report_id)
    _require(by, locked.org, EDIT_ROLES, "xóa minh chứng của")
    if not locked.is_editable:
        raise WorkflowError("Báo cáo đã gửi hoặc đã tiếp nhận: không xóa minh chứng được")
    ev = Evidence.all_objects.select_for_update().get(pk=evidence.pk)
    if ev.deleted_at is not None:
        raise WorkflowError(f"Minh chứng “{ev.original_name}” đã được xóa trước đó")
    ev.deleted_at, ev.deleted_by = timezone.now(), by
    ev.save(update_fields=["deleted_at", "deleted_by"])
    ReportEvent.objects.create(
        report=locked, action="evidence_deleted", from_status=locked.status, to_status=locked.status,
        actor=by, at=timezone.now(), comment=ev.original_name,
    )
    return ev


# ---------------------------------------------------------------- notifications


def _unit_addresses(org: Organisation) -> list[str]:
    User = get_user_model()
    emails = set(
        User.objects.filter(
            memberships__org=org, memberships__role__in=[Role.REPORTER, Role.APPROVER]
        ).exclude(email="").values_list("email", flat=True)
    )
    if org.email:
        emails.add(org.email)
    return sorted(emails)


def notify_report_event(event_id: int) -> list[int]:
    """Tell the people concerned about a workflow event, in the application and by e-mail
    with a deep link (called after commit; reporting.notices decides who is told). Returns
    the ids of the queued e-mails."""
    from .notices import notify_event

    return notify_event(event_id)


def _report_name_lower(period: ReportingPeriod) -> str:
    from .notices import report_name

    name = report_name(period)
    return name[:1].lower() + name[1:]


def reminder_text(period: ReportingPeriod, org: Organisation) -> tuple[str, str]:
    subject = f"Nhắc nộp {period.label.lower() if period.label.startswith('Báo cáo') else 'báo cáo ' + period.label.lower()} – {org.name}"
    body = (
        f"Kính gửi {org.name},\n\n"
        f"Đơn vị chưa gửi {_report_name_lower(period)} về tình hình thực hiện {period.plan.name[:200]}.\n"
        f"Hạn nộp: {period.due_date:%d/%m/%Y}. Đề nghị đơn vị hoàn thiện và gửi báo cáo trên planwatch.\n\n"
        f"{period.plan.standing_agency.name if period.plan.standing_agency else ''}"
    )
    return subject[:255], body


@transaction.atomic
def send_reminders(period: ReportingPeriod, by, *, root: Organisation | None = None, today: date | None = None):
    """Remind every expected unit of the subtree that has not sent its report: its reporters
    and approvers in the application and by e-mail (with a link to the report), and the
    unit's own address. Idempotent per day: a unit reminded today for this period is not
    reminded again. Returns a notices.ReminderResult (false when nobody was reminded) that
    says honestly who was told and which units could not be reached."""
    if not can_manage_plan(by, period.plan):
        raise NotAllowed("Chỉ cơ quan thường trực mới được gửi nhắc nhở")
    from .access import oversight_root
    from .notices import remind_units

    root = root or oversight_root(by, period.plan)
    today = today or timezone.localdate()
    done = set(
        UnitReport.objects.filter(
            period=period, status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
        ).values_list("org_id", flat=True)
    )
    orgs = [org for org in expected_units(period.plan, root, period=period) if org.pk not in done]
    return remind_units(period, by, orgs, today=today, subject_body=reminder_text)


def deliver(message_id: int) -> bool:
    """Send one outbox message by e-mail unless already sent (safe to retry)."""
    from django.core.mail import send_mail

    with transaction.atomic():
        msg = OutboxMessage.objects.select_for_update(of=("self",)).filter(pk=message_id).first()
        if msg is None or msg.sent_at is not None:
            return False
        if "@" not in msg.to:
            msg.error = "Đơn vị chưa có địa chỉ thư điện tử"
            msg.save(update_fields=["error"])
            return False
        try:
            send_mail(msg.subject, msg.body, settings.DEFAULT_FROM_EMAIL, [msg.to])
        except Exception as e:  # the message stays unsent and visible with its error
            msg.error = str(e)[:1000]
            msg.save(update_fields=["error"])
            return False
        msg.sent_at = timezone.now()
        msg.error = ""
        msg.save(update_fields=["sent_at", "error"])
        return True


def guess_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


# ---------------------------------------------------------------- undo
# A destructive or one-click action can be taken back: deleted evidence for a few minutes, a
# period opened by mistake while no unit has written anything, a report sent while the
# standing agency has not acted on it, an acceptance. Each is a service with its own audit
# event (ReportEvent; the period's own history row for a withdrawn period).

UNDO_MINUTES = 10


def evidence_restorable(evidence: Evidence, *, now=None) -> bool:
    """Deleted less than UNDO_MINUTES ago (the "Hoàn tác" offer)."""
    if evidence.deleted_at is None:
        return False
    now = now or timezone.now()
    return now - evidence.deleted_at <= timedelta(minutes=UNDO_MINUTES)


@transaction.atomic
def evidence_restore(*, evidence: Evidence, by) -> Evidence:
    """Put a deleted evidence file back (undo of evidence_delete, within UNDO_MINUTES)."""
    locked = UnitReport.objects.select_for_update(of=("self",)).select_related("org").get(pk=evidence.report_id)
    _require(by, locked.org, EDIT_ROLES, "khôi phục minh chứng của")
    ev = Evidence.all_objects.select_for_update().get(pk=evidence.pk)
    if ev.deleted_at is None:
        return ev
    if not locked.is_editable:
        raise WorkflowError("Báo cáo đã gửi hoặc đã tiếp nhận: không khôi phục minh chứng được")
    if not evidence_restorable(ev):
        raise WorkflowError(f"Đã quá {UNDO_MINUTES} phút kể từ khi xóa: không hoàn tác được nữa")
    if not ev.file.storage.exists(ev.file.name):
        raise ReportingError(f"Tệp “{ev.original_name}” không còn trên máy chủ: không khôi phục được")
    ev.deleted_at, ev.deleted_by = None, None
    ev.save(update_fields=["deleted_at", "deleted_by"])
    ReportEvent.objects.create(
        report=locked, action="evidence_restored", from_status=locked.status, to_status=locked.status,
        actor=by, at=timezone.now(), comment=ev.original_name,
    )
    return ev


def period_withdraw_problem(period: ReportingPeriod) -> str | None:
    """Why the period can no longer be withdrawn (None: it can). A unit has "written" once a
    report of the period was saved, sent or given evidence — opening a report (lines
    prefilled from the previous period) is not writing."""
    reports = UnitReport.objects.filter(period=period)
    written = (
        reports.exclude(status=ReportStatus.DRAFT).exists()
        or reports.filter(version__gt=1).exists()
        or Evidence.all_objects.filter(report__period=period).exists()
        or ReportEvent.objects.filter(report__period=period).exclude(action="created").exists()
    )
    if written:
        return "Đã có đơn vị nhập số liệu hoặc gửi báo cáo của kỳ này: không rút lại được"
    return None


@transaction.atomic
def period_withdraw(*, period: ReportingPeriod, by, reason: str = "") -> str:
    """Withdraw a period opened by mistake: it and its untouched reports disappear. The
    audit keeps the period's history row (who, when, why) and the reports' deletion rows.
    Returns the withdrawn period's label."""
    locked = ReportingPeriod.objects.select_for_update(of=("self",)).select_related("plan").get(pk=period.pk)
    if not can_manage_plan(by, locked.plan):
        raise NotAllowed("Chỉ cơ quan thường trực mới được rút lại kỳ báo cáo")
    # Lock the reports too, so nobody starts writing while the period goes.
    list(UnitReport.objects.select_for_update(of=("self",)).filter(period=locked).values_list("pk", flat=True))
    problem = period_withdraw_problem(locked)
    if problem:
        raise WorkflowError(problem)
    label = locked.label
    why = "Rút lại kỳ báo cáo mở nhầm" + (f": {reason.strip()}" if reason and reason.strip() else "")
    with acting_as(by, why):
        locked.delete()
    return label


def _last_event(report: UnitReport, action: str) -> ReportEvent | None:
    return report.events.filter(action=action).order_by("-at", "-pk").first()


def can_withdraw_submit(user, report: UnitReport) -> bool:
    return report.status == ReportStatus.SUBMITTED and bool(roles_over(user, report.org) & TRANSITION_ROLES["submit"])


def can_undo_accept(user, report: UnitReport) -> bool:
    return report.status == ReportStatus.ACCEPTED and bool(roles_over(user, report.org) & TRANSITION_ROLES["accept"])


@transaction.atomic
def report_withdraw_submit(*, report: UnitReport, by) -> UnitReport:
    """The unit takes back a report it sent, as long as the standing agency has not acted
    on it (returned or accepted): it goes back to the status it had before sending."""
    locked = UnitReport.objects.select_for_update(of=("self",)).select_related("period__plan", "org").get(pk=report.pk)
    _require(by, locked.org, TRANSITION_ROLES["submit"], "rút lại")
    if locked.status != ReportStatus.SUBMITTED:
        raise WorkflowError(
            f"Không rút lại được: báo cáo đang ở trạng thái “{locked.get_status_display()}” "
            "(cơ quan thường trực đã xử lý)"
        )
    sent = _last_event(locked, "submitted")
    back_to = sent.from_status if sent and sent.from_status in (ReportStatus.DRAFT, ReportStatus.RETURNED) else ReportStatus.DRAFT
    # The send being taken back no longer counts: the previous send (if any) is the one on record.
    earlier = (
        locked.events.filter(action="submitted").exclude(pk=sent.pk if sent else None).order_by("-at", "-pk").first()
    )
    locked.submitted_at = earlier.at if earlier else None
    locked.submitted_by = earlier.actor if earlier else None
    from_status = locked.status
    locked.status = back_to
    locked.version += 1
    locked.save()
    _record_revision(locked, by)
    _event(locked, action="submit_withdrawn", by=by, from_status=from_status)
    report_status_changed.send(sender=UnitReport, report=locked, actor=by, action="submit_withdrawn")
    return locked


@transaction.atomic
def report_accept_undo(*, report: UnitReport, by, comment: str = "") -> UnitReport:
    """The standing agency takes back an acceptance: the report is "đã gửi" again, waiting
    for its decision, and stops counting as accepted in monitoring (same transaction)."""
    locked = UnitReport.objects.select_for_update(of=("self",)).select_related("period__plan", "org").get(pk=report.pk)
    _require(by, locked.org, TRANSITION_ROLES["accept"], "hủy tiếp nhận")
    if locked.status != ReportStatus.ACCEPTED:
        raise WorkflowError(
            f"Không hủy tiếp nhận được: báo cáo đang ở trạng thái “{locked.get_status_display()}”"
        )
    from_status = locked.status
    locked.status = ReportStatus.SUBMITTED
    locked.accepted_at = locked.accepted_by = None
    locked.version += 1
    locked.save()
    _record_revision(locked, by)
    _event(locked, action="accept_undone", by=by, from_status=from_status, comment=(comment or "").strip())
    report_status_changed.send(sender=UnitReport, report=locked, actor=by, action="accept_undone")
    return locked


# ---------------------------------------------------------------- bulk acceptance (the standing agency's queue)


@dataclass
class AcceptManyResult:
    accepted: list[UnitReport] = field(default_factory=list)
    refused: list[tuple[UnitReport, str]] = field(default_factory=list)  # (report, Vietnamese reason)


@transaction.atomic
def report_accept_many(*, reports, by, comment: str = "") -> AcceptManyResult:
    """Accept several sent reports at once (the queue's bulk action). Each goes through
    report_accept (its own savepoint, lock, role check, ReportEvent, roll-ups and notification),
    so one refused report (changed meanwhile, not the user's to accept) leaves the others
    accepted; the refused ones come back with the reason."""
    result = AcceptManyResult()
    for report in reports:
        try:
            result.accepted.append(report_accept(report=report, by=by, comment=comment))
        except ReportingError as e:
            result.refused.append((report, str(e)))
    return result
