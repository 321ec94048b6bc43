"""Demo reports.

1. The seed-002 table (Sở KH&CN's progress report on the tasks of Government programme
   71/NQ-CP, as of 10/5/2025) as its own plan "nqcp71-qn" with that unit's ACCEPTED report,
   every cell as printed (fixtures/progress_report_skhcn.json).
2. A clearly labelled sample history (is_sample=True, shown with the badge "Dữ liệu mẫu
   minh họa") for plan 327: monthly periods up to the current month for every unit that
   must report, some late, some missing, some returned; indicator values with a trend.
   Deterministic (seeded random) and written with bulk_create so load_demo stays fast.
   The sample's events name who acted (the unit's demo accounts; the standing agency's
   supervisor for returns and acceptances), and the latest period already due carries the
   reminders the standing agency sent to the units that had not reported (in the outbox,
   subject marked "[Dữ liệu mẫu minh họa]", never e-mailed).

Idempotent: each part is skipped when already loaded."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from rapidfuzz import fuzz

from planwatch.lib.deadlines import parse_deadline
from planwatch.lib.numbers import ratio_percent
from planwatch.orgs.models import Membership, Organisation, Role
from planwatch.plans.models import (
    Assignment, AssignmentRole, Indicator, IndicatorKind, Plan, ReportingSchedule, SourceDocument, Task, TaskGroup,
)

from . import periods as P
from .models import (
    IndicatorValue,
    OutboxMessage,
    PeriodKind,
    ProgressStatus,
    ReportEvent,
    ReportingPeriod,
    ReportStatus,
    TaskProgress,
    UnitReport,
)
from .selectors import expected_units

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "progress_report_skhcn.json"
SEED_PLAN_CODE = "nqcp71-qn"
SEED_PLAN_NAME = "Nhiệm vụ theo Nghị quyết 71/NQ-CP triển khai tại tỉnh"
SEED_PERIOD_LABEL = "Báo cáo đến ngày 10/5/2025"
SEED_END = date(2025, 5, 10)
MAIN_PLAN_CODE = "qn-327-2025"
SAMPLE_MONTHS = 7
DERIVED_MIN_SCORE = 85


def load_fixture() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _aware(d: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(hour, 0)))


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


@transaction.atomic
def load_seed_report() -> UnitReport | None:
    if Plan.objects.filter(code=SEED_PLAN_CODE).exists():
        return UnitReport.objects.filter(period__plan__code=SEED_PLAN_CODE).first()
    data = load_fixture()
    skhcn = Organisation.objects.get(code="qn-skhcn")
    owner = Organisation.objects.filter(code="qn-ubnd").first() or Organisation.objects.get(code="qn")
    # The task list is the Government's programme (Nghị quyết 71/NQ-CP, 01/4/2025), which
    # plan 327 implements: the plan is that document.
    document = SourceDocument.objects.filter(number="71/NQ-CP").first()
    plan = Plan.objects.create(
        code=SEED_PLAN_CODE, name=SEED_PLAN_NAME, owner=owner, standing_agency=skhcn, document=document, monitored=False,
        reporting_schedule=ReportingSchedule.AD_HOC, milestone_years=[],
        notes={
            "source": data["source"],
            "title": data["document"]["title"],
            "implements": data["document"]["implements"],
            "columns_printed": data["document"]["columns_printed"],
            "why": "Báo cáo của Sở KH&CN theo danh mục nhiệm vụ của Nghị quyết 71/NQ-CP, lập trước khi có Quyết định 327; "
            "nhóm và nhiệm vụ giữ đúng như bản in (không có nhóm IV).",
            "status_inferred": "Bản in không có cột tình hình: ô có kết quả → đang thực hiện, ô trống → chưa triển khai.",
        },
    )
    groups = {}
    for pos, g in enumerate(data["task_groups"]):
        groups[g["code"]] = TaskGroup.objects.create(plan=plan, code=g["code"], name=g["name"], position=pos)
    main_tasks = list(Task.objects.filter(plan__code=MAIN_PLAN_CODE))
    tasks = []
    for pos, row in enumerate(data["rows"]):
        t = Task(
            plan=plan, group=groups.get(row["group"]), code=row["code"], position=pos, name=row["name"] or "",
            lead_text=[row["lead"]] if row["lead"] else [], result=row["required_result"] or "",
            deadline_raw=row["deadline"] or "", deadline_spec=parse_deadline(row["deadline"] or None).value.to_dict(),
            notes={k: row[k] for k in ("code_printed", "parent", "is_parent_row", "note") if row.get(k) is not None},
        )
        t.save()
        # The province's task of plan 327 that carries this Government task derives from it
        # (327 implements 71/NQ-CP), not the other way round.
        best = max(main_tasks, key=lambda m: fuzz.token_set_ratio(m.name, t.name), default=None)
        if best is not None and best.derived_from_id is None and fuzz.token_set_ratio(best.name, t.name) >= DERIVED_MIN_SCORE:
            best.derived_from = t
            best.save(update_fields=["derived_from"])
        tasks.append((t, row))
    Assignment.objects.bulk_create(
        [Assignment(task=t, org=skhcn, role=AssignmentRole.LEAD, source_text=data["reporter"]) for t, _ in tasks]
    )
    period = ReportingPeriod.objects.create(
        plan=plan, kind=PeriodKind.AD_HOC, year=2025, number=0, label=SEED_PERIOD_LABEL,
        start=date(2025, 4, 1), end=SEED_END, due_date=SEED_END,
    )
    officer, head, supervisor = _user("canbo.skhcn"), _user("giamdoc.skhcn"), _user("thuongtruc.skhcn")
    at = _aware(SEED_END, 8)
    report = UnitReport.objects.create(
        period=period, org=skhcn, status=ReportStatus.ACCEPTED, version=3, updated_by=officer,
        submitted_at=at, submitted_by=head, accepted_at=_aware(SEED_END, 16), accepted_by=supervisor,
    )
    TaskProgress.objects.bulk_create(
        [
            TaskProgress(
                report=report, task=t,
                status=ProgressStatus.IN_PROGRESS if row["result_to_date"] else ProgressStatus.NOT_STARTED,
                result_to_date=row["result_to_date"] or "", expected_next=row["expected_next"] or "",
                obstacles=row["obstacles"] or "",
            )
            for t, row in tasks
        ]
    )
    ReportEvent.objects.bulk_create(
        [
            ReportEvent(report=report, action="created", to_status="draft", actor=officer, at=_aware(SEED_END, 7)),
            ReportEvent(report=report, action="submitted", from_status="draft", to_status="submitted", actor=head, at=at),
            ReportEvent(report=report, action="accepted", from_status="submitted", to_status="accepted", actor=supervisor, at=_aware(SEED_END, 16)),
        ]
    )
    return report


# ------------------------------------------------------------------ sample history

_RESULTS = [
    "Đã ban hành kế hoạch triển khai tại đơn vị; đang tổ chức thực hiện",
    "Đã tổ chức hội nghị quán triệt, tuyên truyền tới cán bộ, công chức",
    "Đã cập nhật dữ liệu lên hệ thống; tỷ lệ hồ sơ trực tuyến tăng so với tháng trước",
    "Đã bố trí kinh phí và phân công cán bộ phụ trách",
    "Đang khảo sát hiện trạng, xây dựng dự thảo đề án",
    "Đã tập huấn kỹ năng số cho cán bộ, công chức",
]
_NEXT = [
    "Tiếp tục triển khai, tổng hợp kết quả báo cáo kỳ tới",
    "Hoàn thiện dự thảo, trình cấp có thẩm quyền ban hành",
    "Mở rộng triển khai tới các thôn, tổ dân phố",
    "Đánh giá kết quả, rút kinh nghiệm",
]
_OBSTACLES = [
    "Thiếu nhân lực chuyên trách công nghệ thông tin",
    "Hạ tầng mạng ở một số thôn chưa ổn định",
    "Kinh phí được giao chưa đáp ứng nhu cầu",
]
_DONE = "Đã hoàn thành theo kế hoạch"
_RETURN_COMMENTS = [
    "Đề nghị bổ sung số liệu cụ thể và minh chứng kèm theo",
    "Phần kết quả còn chung chung, đề nghị nêu rõ văn bản đã ban hành",
]


def _months_back(today: date, n: int) -> list[tuple[int, int]]:
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        out.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return list(reversed(out))


def _indicator_point(rng: random.Random, ind: Indicator, month_index: int, base: dict[int, tuple]) -> IndicatorValue:
    """A plausible value rising over the months (ratios from numerator/denominator)."""
    if ind.pk not in base:
        if ind.kind == IndicatorKind.RATIO:
            den = Decimal(rng.choice([120, 250, 480, 1000, 2400, 5200]))
            base[ind.pk] = (den, Decimal(rng.randint(35, 70)) / 100, Decimal(rng.randint(1, 4)) / 100)
        else:
            base[ind.pk] = (None, Decimal(rng.randint(3, 60)), Decimal(rng.randint(0, 4)))
    den, start, step = base[ind.pk]
    if ind.kind == IndicatorKind.RATIO:
        share = min(Decimal("0.98"), start + step * month_index)
        num = (den * share).quantize(Decimal(1))
        return IndicatorValue(indicator=ind, numerator=num, denominator=den, value=ratio_percent(num, den), note="")
    if ind.kind == IndicatorKind.QUALITATIVE:
        return IndicatorValue(indicator=ind, value=None, note="Đang triển khai" if month_index < 4 else "Cơ bản hoàn thành")
    return IndicatorValue(indicator=ind, value=start + step * month_index, note="")


@transaction.atomic
def load_sample_history(*, today: date | None = None, months: int = SAMPLE_MONTHS) -> int:
    """Monthly sample reports of plan 327 for every expected unit; returns reports made."""
    plan = Plan.objects.filter(code=MAIN_PLAN_CODE).first()
    if plan is None or ReportingPeriod.objects.filter(plan=plan, is_sample=True).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(327)
    units = list(expected_units(plan))
    assigned: dict[int, list[Task]] = {}
    for a in Assignment.objects.filter(task__plan=plan).select_related("task").order_by("task__position"):
        lst = assigned.setdefault(a.org_id, [])
        if a.task not in lst:
            lst.append(a.task)
    responsible: dict[int, list[Indicator]] = {}
    for ind in plan.indicators.filter(is_group=False).prefetch_related("responsible").order_by("position"):
        for o in ind.responsible.all():
            responsible.setdefault(o.pk, []).append(ind)
    officer, head, supervisor = _user("canbo.skhcn"), _user("giamdoc.skhcn"), _user("thuongtruc.skhcn")
    demo_units = {o.pk for o in Organisation.objects.filter(name__in=["Xã Thiện Tín"]) } | set(
        Organisation.objects.filter(code__in=["qn-skhcn"]).values_list("pk", flat=True)
    )

    # Each unit's pace: how many months a task takes from start to done, and its reliability.
    pace = {u.pk: (rng.uniform(0.15, 0.45), rng.random()) for u in units}
    task_state: dict[tuple[int, int], tuple[str, date | None]] = {}
    ind_base: dict[int, tuple] = {}
    reports: list[UnitReport] = []
    lines_for: list[list[TaskProgress]] = []
    values_for: list[list[IndicatorValue]] = []
    events_for: list[list[tuple]] = []
    month_list = _months_back(today, months)
    for mi, (y, m) in enumerate(month_list):
        spec = P.spec_for(PeriodKind.MONTH, y, m, due_day=P.due_day_of(plan))
        period = ReportingPeriod.objects.filter(plan=plan, kind=PeriodKind.MONTH, year=y, number=m).first()
        if period is None:
            period = ReportingPeriod.objects.create(
                plan=plan, kind=spec.kind, year=y, number=m, label=spec.label, start=spec.start, end=spec.end,
                due_date=spec.due_date, opened_by=supervisor, is_sample=True,
            )
        is_current = mi == len(month_list) - 1
        for u in units:
            speed, reliability = pace[u.pk]
            if is_current and u.pk in demo_units:
                continue  # the demo accounts make this one themselves
            roll = rng.random()
            if is_current:
                # The month is still running: a few drafts, most units have not started.
                if roll > 0.25:
                    continue
                status = ReportStatus.DRAFT
            elif roll < 0.04 + 0.08 * (1 - reliability):
                continue  # missing
            elif roll < 0.14:
                status = ReportStatus.RETURNED
            elif mi == len(month_list) - 2 and roll < 0.45:
                status = ReportStatus.SUBMITTED  # last month: not all reviewed yet
            else:
                status = ReportStatus.ACCEPTED
            late_days = 0
            if status != ReportStatus.DRAFT and rng.random() > 0.55 + 0.4 * reliability:
                late_days = rng.randint(1, 12)
            submitted_on = spec.due_date - timedelta(days=rng.randint(0, 8)) + timedelta(days=late_days)
            if submitted_on > today:
                submitted_on = today
            submitted_at = _aware(submitted_on, rng.randint(8, 16)) if status != ReportStatus.DRAFT else None
            accepted_at = _aware(min(today, submitted_on + timedelta(days=rng.randint(1, 5))), 15) if status == ReportStatus.ACCEPTED else None
            r = UnitReport(
                period=period, org=u, status=status, version=2 if status == ReportStatus.DRAFT else 4, updated_by=None,
                submitted_at=submitted_at, accepted_at=accepted_at,
                submitted_by=head if u.code == "qn-skhcn" and submitted_at else None,
                accepted_by=supervisor if accepted_at else None, is_sample=True,
                general_obstacles=rng.choice(_OBSTACLES) if rng.random() < 0.3 else "",
            )
            lines = []
            for t in assigned.get(u.pk, []):
                st, done_on = task_state.get((u.pk, t.pk), (ProgressStatus.NOT_STARTED, None))
                if st == ProgressStatus.NOT_STARTED and rng.random() < 0.5 + speed:
                    st = ProgressStatus.IN_PROGRESS
                elif st == ProgressStatus.IN_PROGRESS and rng.random() < speed:
                    st, done_on = ProgressStatus.DONE, min(spec.end, today) - timedelta(days=rng.randint(0, 20))
                task_state[(u.pk, t.pk)] = (st, done_on)
                lines.append(
                    TaskProgress(
                        task=t, status=st, completed_on=done_on if st == ProgressStatus.DONE else None,
                        result_to_date=_DONE if st == ProgressStatus.DONE else (rng.choice(_RESULTS) if st == ProgressStatus.IN_PROGRESS else ""),
                        expected_next="" if st == ProgressStatus.DONE else rng.choice(_NEXT),
                        obstacles=rng.choice(_OBSTACLES) if st != ProgressStatus.DONE and rng.random() < 0.15 else "",
                    )
                )
            values = [_indicator_point(rng, ind, mi, ind_base) for ind in responsible.get(u.pk, [])]
            events = [("created", "", "draft", None, spec.end - timedelta(days=3), "")]
            if submitted_at:
                events.append(("submitted", "draft", "submitted", None, submitted_at, ""))
            if status == ReportStatus.RETURNED:
                events.append(("returned", "submitted", "returned", supervisor, submitted_at + timedelta(days=2), rng.choice(_RETURN_COMMENTS)))
            if accepted_at:
                events.append(("accepted", "submitted", "accepted", supervisor, accepted_at, ""))
            reports.append(r)
            lines_for.append(lines)
            values_for.append(values)
            events_for.append(events)
    UnitReport.objects.bulk_create(reports, batch_size=500)
    if reports[0].pk is None:  # backends without RETURNING ids
        by_key = {(r.period_id, r.org_id): r.pk for r in UnitReport.objects.filter(is_sample=True)}
        for r in reports:
            r.pk = r.id = by_key[(r.period_id, r.org_id)]
    all_lines, all_values, all_events = [], [], []
    for r, lines, values, events in zip(reports, lines_for, values_for, events_for):
        for ln in lines:
            ln.report = r
        for v in values:
            v.report = r
        all_lines += lines
        all_values += values
        for action, fr, to, actor, at, comment in events:
            at = at if isinstance(at, datetime) else _aware(at, 8)
            all_events.append(ReportEvent(report=r, action=action, from_status=fr, to_status=to, actor=actor, at=at, comment=comment))
    TaskProgress.objects.bulk_create(all_lines, batch_size=2000)
    IndicatorValue.objects.bulk_create(all_values, batch_size=2000)
    ReportEvent.objects.bulk_create(all_events, batch_size=2000)
    return len(reports)


# ------------------------------------------------------------------ who acted, reminders

SAMPLE_REMINDER_MARK = "[Dữ liệu mẫu minh họa] "
SAMPLE_REMINDER_NOTE = "Thư mẫu minh họa: không gửi đi"
REMINDER_DAYS_AFTER_DUE = (1, 5)  # the standing agency's two rounds of reminders


def _unit_accounts() -> dict[int, dict[str, object]]:
    """Per unit, its officer and its head among the accounts (the demo accounts)."""
    out: dict[int, dict[str, object]] = {}
    for m in (
        Membership.objects.filter(role__in=[Role.REPORTER, Role.APPROVER]).select_related("user").order_by("user__username")
    ):
        out.setdefault(m.org_id, {}).setdefault(m.role, m.user)
    return out


@transaction.atomic
def set_sample_actors() -> int:
    """Name who acted in the sample history: the unit's officer opened the report, its head
    sent it, the standing agency's supervisor returned or accepted it. Only events without an
    actor are touched (so a database loaded before this existed is completed too); units with
    no account keep an empty actor. A few UPDATEs per unit with accounts. Returns events named."""
    events = ReportEvent.objects.filter(report__is_sample=True, actor__isnull=True)
    reports = UnitReport.objects.filter(is_sample=True)
    n = 0
    supervisor = _user("thuongtruc.skhcn")
    if supervisor is not None:
        n += events.filter(action__in=["returned", "accepted"]).update(actor=supervisor)
    for org_id, accounts in _unit_accounts().items():
        officer, head = accounts.get(Role.REPORTER), accounts.get(Role.APPROVER)
        if officer is not None:
            n += events.filter(report__org_id=org_id, action="created").update(actor=officer)
            reports.filter(org_id=org_id, updated_by__isnull=True).update(updated_by=officer)
        if head is not None:
            n += events.filter(report__org_id=org_id, action="submitted").update(actor=head)
            reports.filter(org_id=org_id, submitted_at__isnull=False, submitted_by__isnull=True).update(submitted_by=head)
    return n


@transaction.atomic
def load_sample_reminders(*, today: date | None = None) -> int:
    """The reminders of the latest sample period already due: the morning after the due date
    to every unit that had not sent its report by then, four days later again to those still
    silent. Written to the outbox as they would be, but marked as sample and never sent.
    Returns messages made (0 when already there)."""
    plan = Plan.objects.filter(code=MAIN_PLAN_CODE).first()
    if plan is None or OutboxMessage.objects.filter(
        kind="reminder", period__plan=plan, period__is_sample=True, subject__startswith=SAMPLE_REMINDER_MARK
    ).exists():
        return 0
    from .services import _unit_addresses, reminder_text

    today = today or timezone.localdate()
    now = timezone.now()
    period = plan.periods.filter(is_sample=True, due_date__lt=today).order_by("-due_date").first()
    if period is None:
        return 0
    submitted = dict(
        UnitReport.objects.filter(period=period, submitted_at__isnull=False).values_list("org_id", "submitted_at")
    )
    units = list(expected_units(plan))
    addresses: dict[int, list[str]] = {}
    made = 0
    for days in REMINDER_DAYS_AFTER_DUE:
        at = _aware(period.due_date + timedelta(days=days), 8)
        if at > now:
            break
        ids = []
        for org in units:
            if org.pk in submitted and submitted[org.pk] <= at:
                continue  # already sent by then
            subject, body = reminder_text(period, org)
            if org.pk not in addresses:
                addresses[org.pk] = _unit_addresses(org) or [f"(chưa có địa chỉ thư) {org.name}"[:255]]
            for addr in addresses[org.pk]:
                ids.append(
                    OutboxMessage.objects.create(
                        to=addr, subject=(SAMPLE_REMINDER_MARK + subject)[:255],
                        body=f"{body}\n\n(Thư mẫu trong dữ liệu mẫu minh họa: không gửi đi.)",
                        org=org, period=period, kind="reminder", error=SAMPLE_REMINDER_NOTE,
                    ).pk
                )
        OutboxMessage.objects.filter(pk__in=ids).update(created_at=at)  # created_at is auto_now_add
        made += len(ids)
    return made


# ------------------------------------------------------------------ the commune's own plan

COMMUNE_PLAN_CODE = "thientin-kh-2025"
COMMUNE_NAME = "Xã Thiện Tín"
COMMUNE_NOTES = {
    True: ["Đã triển khai, có văn bản chỉ đạo của Đảng ủy xã", "Đã hoàn thành, đưa vào sử dụng"],
    False: ["Đang xây dựng kế hoạch triển khai", "Chưa triển khai, chờ hướng dẫn của tỉnh"],
}


def _commune_value(rng: random.Random, ind: Indicator, month_index: int, base: dict[int, tuple]) -> IndicatorValue:
    """A value of the size a commune reports: ratios from plausible counts, a few units for
    counts, an index below 1, qualitative targets done (1) or not yet (0) with a note."""
    if ind.pk not in base:
        if ind.kind == IndicatorKind.RATIO:
            base[ind.pk] = (Decimal(rng.choice([12, 25, 40, 64, 180, 950, 3400])), Decimal(rng.randint(30, 75)) / 100,
                            Decimal(rng.randint(0, 3)) / 100)  # fmt: skip
        elif ind.kind == IndicatorKind.INDEX:
            base[ind.pk] = (None, Decimal("0.48") + Decimal(rng.randint(0, 8)) / 100, Decimal("0.01"))
        elif ind.kind == IndicatorKind.QUALITATIVE:
            base[ind.pk] = (None, Decimal(rng.random() < 0.45), Decimal(rng.randint(3, 9)))  # done?, month it gets done
        else:
            base[ind.pk] = (None, Decimal(rng.randint(0, 2)), Decimal(rng.choice([0, 0, 1])))
    den, start, step = base[ind.pk]
    if ind.kind == IndicatorKind.RATIO:
        share = min(Decimal(1), start + step * month_index)
        num = (den * share).quantize(Decimal(1))
        return IndicatorValue(indicator=ind, numerator=num, denominator=den, value=ratio_percent(num, den), note="")
    if ind.kind == IndicatorKind.QUALITATIVE:
        done = bool(start) or month_index >= step
        return IndicatorValue(indicator=ind, value=Decimal(int(done)), note=COMMUNE_NOTES[done][ind.pk % 2])
    if ind.kind == IndicatorKind.INDEX:
        return IndicatorValue(indicator=ind, value=start + step * month_index, note="")
    return IndicatorValue(indicator=ind, value=start + step * (month_index // 3), note="")


@transaction.atomic
def load_commune_history(*, today: date | None = None, months: int = SAMPLE_MONTHS) -> int:
    """The commune plan reports like any plan: its schedule (monthly, due on its own due day)
    gives the same sample months as plan 327, opened by the standing agency; Thiện Tín's
    reports fill every indicator it answers for. The older months are accepted (one of them
    sent late); the latest month already past its due day is still missing (overdue: the demo
    accounts make it), and so are the months after it (open). Sample data, labelled as such.
    Returns reports made."""
    plan = Plan.objects.filter(code=COMMUNE_PLAN_CODE).first()
    commune = Organisation.objects.filter(name=COMMUNE_NAME).first()
    if plan is None or commune is None or ReportingPeriod.objects.filter(plan=plan, is_sample=True).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(57)
    indicators = list(plan.indicators.filter(is_group=False, responsible=commune).order_by("position"))
    officer, head, supervisor = _user("canbo.thientin"), _user("chutich.thientin"), _user("thuongtruc.skhcn")
    month_list = _months_back(today, months)
    specs = [P.spec_for(PeriodKind.MONTH, y, m, due_day=P.due_day_of(plan)) for y, m in month_list]
    # From the latest month already overdue on: left to the demo accounts (overdue, then open).
    left_from = max((i for i, sp in enumerate(specs) if sp.due_date < today), default=len(specs) - 1)
    base: dict[int, tuple] = {}
    made = 0
    for mi, ((y, m), spec) in enumerate(zip(month_list, specs)):
        period = ReportingPeriod.objects.filter(plan=plan, kind=PeriodKind.MONTH, year=y, number=m).first() or (
            ReportingPeriod.objects.create(
                plan=plan, kind=spec.kind, year=y, number=m, label=spec.label, start=spec.start, end=spec.end,
                due_date=spec.due_date, opened_by=supervisor, is_sample=True,
            )
        )
        if mi >= left_from or UnitReport.objects.filter(period=period, org=commune).exists():
            continue  # the latest overdue month and those after it are the demo accounts' to write
        late = mi == left_from - 2
        sent_on = min(today, spec.due_date + timedelta(days=2) if late else spec.due_date - timedelta(days=rng.randint(1, 6)))
        submitted_at = _aware(sent_on, rng.randint(8, 16))
        accepted_at = _aware(min(today, sent_on + timedelta(days=rng.randint(1, 4))), 15)
        r = UnitReport.objects.create(
            period=period, org=commune, status=ReportStatus.ACCEPTED, version=4, updated_by=officer,
            submitted_at=submitted_at, submitted_by=head, accepted_at=accepted_at, accepted_by=supervisor, is_sample=True,
        )
        values = [_commune_value(rng, ind, mi, base) for ind in indicators]
        for v in values:
            v.report = r
        IndicatorValue.objects.bulk_create(values)
        ReportEvent.objects.bulk_create(
            [
                ReportEvent(report=r, action="created", to_status="draft", actor=officer, at=_aware(spec.end - timedelta(days=3), 8)),
                ReportEvent(report=r, action="submitted", from_status="draft", to_status="submitted", actor=head, at=submitted_at),
                ReportEvent(report=r, action="accepted", from_status="submitted", to_status="accepted", actor=supervisor, at=accepted_at),
            ]
        )  # fmt: skip
        made += 1
    return made


def load_demo_reports() -> None:
    load_seed_report()
    load_sample_history()
    load_commune_history()
    set_sample_actors()
    load_sample_reminders()
