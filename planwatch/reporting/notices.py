"""Who is told what about reporting, through planwatch.notifications.notify: workflow events
(submitted, sent back, returned, accepted), reminders from the standing agency and the
"deadline approaching" notice of the daily job. The functions in services.py
(notify_report_event, send_reminders) call these; the e-mail side is the outbox
(OutboxMessage → tasks.deliver_outbox), queued by notify on commit.

Reminders are honest: a unit counts as reminded only when someone was actually told (a
person in the application or an e-mail address); the result says how many people and
addresses, and which units could not be reached."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from planwatch.lib.text import user_full_name
from planwatch.notifications.services import deliver_notifications, email_body
from planwatch.orgs.models import Membership, Organisation, Role

from .models import OutboxMessage, ReportEvent, ReportingPeriod, ReportStatus, UnitReport

UNIT_ROLES = (Role.REPORTER, Role.APPROVER)
DEFAULT_DEADLINE_NOTICE_DAYS = 3


def report_name(period: ReportingPeriod) -> str:
    """"Báo cáo tháng 11/2026" from the label "Tháng 11/2026" (ad hoc labels already say "Báo cáo…")."""
    label = period.label
    return label if label.startswith("Báo cáo") else f"Báo cáo {label[:1].lower()}{label[1:]}"


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the web area is not installed (e.g. a worker without urls)
        return ""


def report_url(report: UnitReport) -> str:
    return _url("report_detail", report.pk)


def unit_period_url(period: ReportingPeriod) -> str:
    """Where a unit's person opens (or creates) the unit's report of `period`."""
    return _url("report_current", period.pk)


def unit_people(org: Organisation, roles=UNIT_ROLES) -> list:
    from planwatch.notifications.services import users_of

    return list(users_of(org, roles))


def supervisors_over(report: UnitReport) -> list:
    """The standing agency's people who can accept the report: supervisors whose scope
    holds both the unit and the plan's owner."""
    org, owner = report.org, report.period.plan.owner
    ms = Membership.objects.filter(role=Role.SUPERVISOR, user__is_active=True).select_related("scope", "user")
    users = {m.user.pk: m.user for m in ms if org.path.startswith(m.scope.path) and owner.path.startswith(m.scope.path)}
    return [users[k] for k in sorted(users)]


# ---------------------------------------------------------------- workflow events
EVENT_TEXT = {
    # action: (title to the unit's people, title to the standing agency)
    "submitted": ("{label} của {org} đã được gửi", "{org} đã gửi {label_l}"),
    "sent_back": ("{label} của {org} được chuyển lại để hoàn thiện", None),
    "returned": ("{label} của {org} bị trả lại", None),
    "accepted": ("{label} của {org} đã được tiếp nhận", None),
}


def _event_body(event: ReportEvent) -> str:
    lines = [f"Người thực hiện: {user_full_name(event.actor) if event.actor else 'hệ thống'}, "
             f"lúc {timezone.localtime(event.at):%d/%m/%Y %H:%M}."]
    if event.comment:
        lines.append(f"{'Lý do' if event.action in ('returned', 'sent_back') else 'Ý kiến'}: {event.comment}")
    return "\n".join(lines)


def notify_event(event_id: int) -> list[int]:
    """Tell the people concerned about one workflow event (called after commit); returns the
    ids of the queued e-mails. Idempotent: a second call for the same event tells nobody twice."""
    event = ReportEvent.objects.select_related("report__period__plan__owner", "report__org", "actor").get(pk=event_id)
    texts = EVENT_TEXT.get(event.action)
    if texts is None:
        return []
    report = event.report
    name = report_name(report.period)
    fmt = {"org": report.org.name, "label": name, "label_l": name[:1].lower() + name[1:]}
    body, url = _event_body(event), report_url(report)
    outbox = {"org": report.org, "period": report.period, "report": report}
    ids: list[int] = []
    unit_roles = (Role.REPORTER,) if event.action == "sent_back" else UNIT_ROLES
    unit = [u for u in unit_people(report.org, unit_roles) if u != event.actor]
    unit_title = texts[0].format(**fmt)
    d = deliver_notifications(
        users=unit, kind=event.action, title=unit_title, body=body, url=url, actor=event.actor,
        key=f"event:{event.pk}", org=report.org, outbox=outbox,
        email=event.action != "submitted",  # the unit's own people need no e-mail about their own sending
    )
    ids += d.outbox_ids
    # The unit's own mailbox (Organisation.email) hears about the decisions on its report.
    if event.action in ("returned", "accepted") and report.org.email and report.org.email not in d.emails:
        if not OutboxMessage.objects.filter(report=report, kind=event.action, to=report.org.email, created_at__gte=event.at).exists():
            ids.append(_queue(report.org.email, unit_title, email_body(body, url), kind=event.action, **outbox))
    if texts[1]:
        sup = [u for u in supervisors_over(report) if u != event.actor]
        d = deliver_notifications(
            users=sup, kind=event.action, title=texts[1].format(**fmt), body=body, url=url, actor=event.actor,
            key=f"event:{event.pk}:sup", org=report.org, outbox=outbox,
        )
        ids += d.outbox_ids
    return ids


def _queue(to: str, subject: str, body: str, **fields) -> int:
    from .tasks import deliver_outbox

    pk = OutboxMessage.objects.create(to=to[:255], subject=subject[:255], body=body, **fields).pk
    transaction.on_commit(lambda: deliver_outbox.delay(pk))
    return pk


# ---------------------------------------------------------------- reminders
@dataclass
class ReminderResult:
    """What a round of reminders did. A unit is reminded when at least one person was told in
    the application or one e-mail was queued for it."""

    reminded: list = field(default_factory=list)  # units told (in-app and/or e-mail)
    people: int = 0  # persons notified in the application
    emails: list[str] = field(default_factory=list)  # addresses an e-mail was queued to
    without_email: list = field(default_factory=list)  # units reminded in the application only
    unreachable: list = field(default_factory=list)  # units with no person and no address: not reminded
    already: int = 0  # units skipped: already reminded today
    outbox_ids: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.reminded)

    def as_dict(self) -> dict:
        return {
            "reminded": [o.name for o in self.reminded],
            "people": self.people,
            "emails": list(self.emails),
            "without_email": [o.name for o in self.without_email],
            "unreachable": [o.name for o in self.unreachable],
            "already": self.already,
        }

    def summary(self) -> str:
        return reminder_summary(self.as_dict())


def _names(names: list[str], limit: int = 12) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" và {len(names) - limit} đơn vị khác" if len(names) > limit else "")


def reminder_summary(d: dict) -> str:
    """The Vietnamese account of a round of reminders (shown to the standing agency)."""
    n = len(d["reminded"])
    parts = []
    if n:
        parts.append(
            f"Đã nhắc {n} đơn vị: thông báo trong ứng dụng tới {d['people']} người, "
            f"thư điện tử xếp gửi tới {len(d['emails'])} địa chỉ."
        )
    elif not d["unreachable"]:
        parts.append("Không có đơn vị nào cần nhắc thêm hôm nay.")
    if d["without_email"]:
        parts.append(f"Chỉ nhận thông báo trong ứng dụng (chưa có địa chỉ thư): {_names(d['without_email'])}.")
    if d["unreachable"]:
        parts.append(
            f"Chưa nhắc được {len(d['unreachable'])} đơn vị vì chưa có người dùng và địa chỉ thư: "
            f"{_names(d['unreachable'])}."
        )
    if d.get("already") and n:
        parts.append(f"{d['already']} đơn vị đã được nhắc hôm nay, không nhắc lại.")
    return " ".join(parts)


def reminded_today(period: ReportingPeriod, today: date) -> set[int]:
    """Units already reminded for `period` on the local day `today` (in the application or
    by a real e-mail address)."""
    from planwatch.notifications.models import Notification

    by_note = Notification.objects.filter(kind="reminder", key__startswith=f"reminder:{period.pk}:", key__endswith=f":{today.isoformat()}")
    by_mail = OutboxMessage.objects.filter(period=period, kind="reminder", created_at__date=today, to__contains="@")
    return set(by_note.values_list("org_id", flat=True)) | set(by_mail.values_list("org_id", flat=True))


def last_reminders(period: ReportingPeriod) -> dict[int, object]:
    """org id → when the unit was last really reminded for `period` (notification or e-mail
    to an address; the old "(chưa có địa chỉ thư)" placeholders do not count, except in the
    labelled sample history, which shows the reminders of its story as they were written)."""
    from planwatch.notifications.models import Notification

    out: dict[int, object] = {}
    mails = OutboxMessage.objects.filter(period=period, kind="reminder", org__isnull=False)
    if not period.is_sample:
        mails = mails.filter(to__contains="@")
    rows = list(
        Notification.objects.filter(kind="reminder", key__startswith=f"reminder:{period.pk}:", org__isnull=False)
        .values_list("org_id", "created_at")
    ) + list(mails.values_list("org_id", "created_at"))
    for org_id, at in rows:
        if org_id not in out or at > out[org_id]:
            out[org_id] = at
    return out


def remind_units(period: ReportingPeriod, by, orgs, *, today: date, subject_body) -> ReminderResult:
    """Remind each unit of `orgs` (already filtered to those that must still send): its
    reporters and approvers in the application and by e-mail, and the unit's own address."""
    result = ReminderResult()
    done_today = reminded_today(period, today)
    url = unit_period_url(period)
    for org in orgs:
        if org.pk in done_today:
            result.already += 1
            continue
        subject, body = subject_body(period, org)
        people = unit_people(org)
        d = deliver_notifications(
            users=people, kind="reminder", title=subject, body=body, url=url, actor=by,
            key=f"reminder:{period.pk}:{org.pk}:{today.isoformat()}", org=org, outbox={"org": org, "period": period},
        )
        emails = list(d.emails)
        ids = list(d.outbox_ids)
        if org.email and "@" in org.email and org.email not in emails:
            ids.append(_queue(org.email, subject, email_body(body, url), org=org, period=period, kind="reminder"))
            emails.append(org.email)
        if not d.in_app and not emails:
            result.unreachable.append(org)
            continue
        result.reminded.append(org)
        result.people += len(d.in_app)
        result.emails += emails
        result.outbox_ids += ids
        if not emails:
            result.without_email.append(org)
    return result


# ---------------------------------------------------------------- deadline approaching
@dataclass
class DeadlineResult:
    periods: int = 0
    units: int = 0
    people: int = 0
    emails: int = 0


def notice_days() -> int:
    return int(getattr(settings, "PLANWATCH_DEADLINE_NOTICE_DAYS", DEFAULT_DEADLINE_NOTICE_DAYS))


def notify_deadlines(today: date | None = None, *, days: int | None = None) -> DeadlineResult:
    """"Sắp đến hạn nộp báo cáo": for every period due within `days` days from `today`
    (the due day included), tell the reporters and approvers of each expected unit that has
    not sent its report. Once per period and unit (safe to run many times a day)."""
    from .selectors import expected_units

    today = today or timezone.localdate()
    days = notice_days() if days is None else days
    result = DeadlineResult()
    periods = (
        ReportingPeriod.objects.filter(due_date__gte=today, due_date__lte=today + timedelta(days=days), is_sample=False)
        .select_related("plan__owner")
        .order_by("due_date", "pk")
    )
    for period in periods:
        result.periods += 1
        sent = set(
            UnitReport.objects.filter(period=period)
            .filter(Q(status=ReportStatus.SUBMITTED) | Q(status=ReportStatus.ACCEPTED))
            .values_list("org_id", flat=True)
        )
        left = (period.due_date - today).days
        when = "hôm nay" if left == 0 else ("ngày mai" if left == 1 else f"còn {left} ngày")
        url = unit_period_url(period)
        for org in expected_units(period.plan, period=period):
            if org.pk in sent:
                continue
            name = report_name(period)
            title = f"Sắp đến hạn nộp {name[:1].lower()}{name[1:]} ({when}, hạn {period.due_date:%d/%m/%Y})"
            body = (
                f"{org.name} chưa gửi {name[:1].lower()}{name[1:]} về tình hình thực hiện {period.plan.name[:200]}.\n"
                f"Hạn nộp: {period.due_date:%d/%m/%Y}."
            )
            d = deliver_notifications(
                users=unit_people(org), kind="deadline", title=title, body=body, url=url,
                key=f"deadline:{period.pk}:{org.pk}", org=org, outbox={"org": org, "period": period},
            )
            if d.in_app:
                result.units += 1
                result.people += len(d.in_app)
                result.emails += len(d.emails)
    return result
