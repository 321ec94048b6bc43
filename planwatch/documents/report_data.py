"""What an exported report says, decided once.

build_report_data() turns the reporting consolidation and the monitoring statuses into
plain frozen dataclasses holding already-formatted Vietnamese strings next to the raw
numbers. The DOCX, XLSX and PDF renderers only lay these out, so the three files always
say the same thing, and tests compare each file with this object and with the database."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from planwatch.lib.numbers import format_vn_number
from planwatch.lib.text import strip_accents, user_full_name
from planwatch.monitoring.status import Observation, assess_indicator, task_status
from planwatch.orgs.models import LOCALITY_KINDS, Membership, Organisation, OrgKind, Role
from planwatch.plans.models import Indicator, IndicatorTarget
from planwatch.plans.selectors import task_terms_as_of
from planwatch.reporting.consolidation import Consolidation, TaskRow, consolidate, indicator_row
from planwatch.reporting.consolidation import counted_statuses as consolidation_counted_statuses
from planwatch.reporting.models import IndicatorValue, ReportingPeriod, ReportStatus, UnitReport

from .sanitize import clean_text

# How many units a consolidated cell names before it only counts them.
NAMES_SHOWN = 5
# How many earlier periods feed an indicator's trend.
HISTORY_PERIODS = 5
MAIN_POINTS = 8

TASK_STATUS_ORDER = (
    "done_on_time", "done_late", "in_progress", "due_soon", "overdue", "not_started", "reported", "not_reported",
)
INDICATOR_STATUS_ORDER = ("achieved", "on_track", "behind", "missed", "no_data", "no_target")


def _consolidation_flag(accepted_only: bool) -> bool | None:
    """Which unit reports an export counts. The export form's box "Chỉ tổng hợp báo cáo đã
    tiếp nhận" → accepted reports only (True); otherwise the reports sent to the standing
    agency (đã gửi) or accepted: reporting.consolidation's default, None. Never False, which
    there means every report, drafts included: drafts and returned reports never reach an
    official report."""
    return True if accepted_only else None


def counted_statuses(accepted_only: bool) -> tuple[str, ...]:
    """The report statuses an export counts (the consolidation's own definition)."""
    return consolidation_counted_statuses(_consolidation_flag(accepted_only))


def consolidation_for(period: ReportingPeriod, root: Organisation, *, accepted_only: bool) -> Consolidation:
    """The consolidation an export of `period` for `root` reads (see counted_statuses)."""
    return consolidate(period, root, accepted_only=_consolidation_flag(accepted_only))


def report_as_of(period: ReportingPeriod, report_date: date) -> date:
    """The day a report on `period` describes, whatever day it is made on: the report date,
    but no later than the period's due date once the period is over (a report on Tháng
    5/2026 made in November says how things stood when May's reports were due), and never
    before the period starts. Task statuses and indicator assessments are judged on this day,
    and only observations up to it count."""
    if report_date >= period.end:
        return min(report_date, max(period.due_date, period.end))
    return max(report_date, period.start)


# ---------------------------------------------------------------- the data


@dataclass(frozen=True)
class Letterhead:
    parent_body: str  # cơ quan chủ quản, upper case ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"); may be ""
    issuing_body: str  # cơ quan ban hành, upper case ("SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    issuer_name: str  # the same body as written in a sentence ("Sở Khoa học và Công nghệ")
    abbreviation: str  # "SKHCN"
    number: str  # "Số:      /BC-SKHCN" (the number is written in by the văn thư)
    place: str  # "Quảng Ngãi"
    date_line: str  # "Quảng Ngãi, ngày 10 tháng 5 năm 2025"
    signer_authority: str  # "KT. GIÁM ĐỐC" (may be "")
    signer_title: str  # "PHÓ GIÁM ĐỐC"
    signer_name: str
    recipients: tuple[str, ...]  # "- UBND tỉnh (b/c);" … "- Lưu: VT, SKHCN."


@dataclass(frozen=True)
class StatusCount:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class TaskLine:
    """One row of the task appendix: a group heading (kind "group") or a task."""

    kind: str
    tt: str
    name: str
    lead: str = ""
    result_required: str = ""
    deadline: str = ""
    result_to_date: str = ""
    expected_next: str = ""
    obstacles: str = ""
    status: str = ""
    status_label: str = ""
    assigned: int = 0
    reported: int = 0
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    task_id: int | None = None

    @property
    def units_text(self) -> str:
        return f"{self.done}/{self.assigned}" if self.kind == "task" else ""

    @property
    def status_cell(self) -> str:
        """The status column of the DOCX: the word, then how many units have finished."""
        if self.kind != "task":
            return ""
        return f"{self.status_label}\n({self.done}/{self.assigned} đơn vị hoàn thành)"


@dataclass(frozen=True)
class IndicatorLine:
    kind: str  # "group" | "indicator"
    tt: str
    name: str
    unit: str = ""
    targets: tuple[str, ...] = ()  # as printed, one per milestone year
    agency: str = ""
    value: Decimal | None = None
    value_text: str = ""
    status: str = ""
    status_label: str = ""
    reason: str = ""
    rule: str = ""
    indicator_id: int | None = None


@dataclass(frozen=True)
class ReportData:
    plan_name: str
    period_label: str
    period_start: date
    period_end: date
    as_of: date
    org_name: str
    is_consolidated: bool
    letterhead: Letterhead
    title: str  # "BÁO CÁO"
    subject: str  # trích yếu
    intro: str
    reporting_summary: str
    task_summary: str
    assignment_summary: str
    indicator_summary: str
    obstacles: tuple[str, ...]
    recommendations: tuple[str, ...]
    closing: str
    task_headers: tuple[str, ...]
    task_lines: tuple[TaskLine, ...]
    milestone_years: tuple[int, ...]
    indicator_headers: tuple[str, ...]
    indicator_lines: tuple[IndicatorLine, ...]
    task_counts: tuple[StatusCount, ...]
    assignment_counts: tuple[StatusCount, ...]
    indicator_counts: tuple[StatusCount, ...]
    report_counts: dict[str, int] = field(default_factory=dict)
    units_expected: int = 0
    missing_units: tuple[str, ...] = ()
    task_appendix_title: str = "Phụ lục 01"
    indicator_appendix_title: str = "Phụ lục 02"

    @property
    def tasks(self) -> tuple[TaskLine, ...]:
        return tuple(t for t in self.task_lines if t.kind == "task")

    @property
    def indicators(self) -> tuple[IndicatorLine, ...]:
        return tuple(i for i in self.indicator_lines if i.kind == "indicator")


# ---------------------------------------------------------------- formatting helpers


def vn_num(value: Decimal | int | None) -> str:
    return "" if value is None else format_vn_number(value if isinstance(value, int) else value.normalize())


def vn_date(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def date_line(place: str, d: date) -> str:
    """Decree 30: days below 10 and the months 1 and 2 take a leading zero."""
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month in (1, 2) else str(d.month)
    return f"{place}, ngày {day} tháng {month} năm {d.year}"


def vn_upper(text: str) -> str:
    return text.upper().replace("KH&CN", "KHOA HỌC VÀ CÔNG NGHỆ")


_SMALL_WORDS = {"va", "cac", "cua"}


def abbreviation(org: Organisation) -> str:
    """Ký hiệu viết tắt of a body: "Sở Khoa học và Công nghệ" → "SKHCN"."""
    if org.kind in LOCALITY_KINDS or org.kind in (OrgKind.PEOPLES_COMMITTEE, OrgKind.PROVINCE, OrgKind.DISTRICT):
        return "UBND"
    words = strip_accents(org.name).replace(",", " ").replace("-", " ").split()
    letters = [w[0].upper() for w in words if w.lower() not in _SMALL_WORDS and w[0].isalpha()]
    return "".join(letters)[:10] or "BC"


def _province_of(org: Organisation) -> Organisation:
    node = org
    while node.parent_id and node.kind != OrgKind.PROVINCE:
        node = node.parent
    return node


def _place_name(org: Organisation) -> str:
    name = org.name
    for prefix in ("Tỉnh ", "Thành phố ", "Xã ", "Phường ", "Đặc khu ", "Huyện "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


# The unit word of a locality's name, as it is written after "Ủy ban nhân dân" (Vietnamese
# administrative style: "Ủy ban nhân dân xã Thiện Tín", "Ủy ban nhân dân đặc khu Lý Sơn";
# the proper name keeps its capitals).
_LOCALITY_WORDS = ("Thành phố", "Thị trấn", "Đặc khu", "Thị xã", "Phường", "Huyện", "Tỉnh", "Xã")


def committee_of(org: Organisation) -> str:
    """ "Ủy ban nhân dân xã Thiện Tín" for "Xã Thiện Tín" (not "… Xã Thiện Tín")."""
    name = org.name.strip()
    for word in _LOCALITY_WORDS:
        if name.startswith(word + " "):
            name = word.lower() + name[len(word):]
            break
    return "Ủy ban nhân dân " + name


def _peoples_committee(province: Organisation) -> Organisation | None:
    return Organisation.objects.filter(parent=province, kind=OrgKind.PEOPLES_COMMITTEE).first()


def _signer_name(org: Organisation) -> str:
    m = (
        Membership.objects.filter(org=org, role=Role.APPROVER).select_related("user").order_by("pk").first()
    )
    if m is None:
        return ""
    return user_full_name(m.user)  # family name first


def letterhead_for(period: ReportingPeriod, root: Organisation, *, today: date, consolidated: bool) -> Letterhead:
    plan = period.plan
    province = _province_of(root)
    issuer = root
    if root.kind == OrgKind.PROVINCE or (consolidated and root.pk == plan.owner_id):
        issuer = plan.standing_agency or plan.owner
    parent_body = ""
    if issuer.kind in LOCALITY_KINDS or issuer.kind == OrgKind.DISTRICT:
        issuing = "ỦY BAN NHÂN DÂN " + vn_upper(issuer.name)
        place = _place_name(issuer)
        authority, title = "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
    elif issuer.kind == OrgKind.PEOPLES_COMMITTEE:
        issuing = vn_upper(issuer.name)
        place = _place_name(province)
        authority, title = "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
    else:
        issuing = vn_upper(issuer.name)
        upper = _peoples_committee(province)
        # Decree 30 allows the common abbreviation in the governing body's name: "UBND TỈNH …".
        parent_body = vn_upper(upper.name) if upper else vn_upper(province.name)
        parent_body = parent_body.replace("ỦY BAN NHÂN DÂN ", "UBND ", 1)
        place = _place_name(province)
        head = "GIÁM ĐỐC" if issuer.name.startswith("Sở") else "THỦ TRƯỞNG CƠ QUAN"
        authority, title = f"KT. {head}", f"PHÓ {head}"
    abbr = abbreviation(issuer)
    recipients: list[str] = []
    upper_org = _peoples_committee(province)
    if consolidated:
        recipients += ["- Thường trực Tỉnh ủy (b/c);"] if issuer != upper_org else []
        recipients += [f"- {upper_org.short_name or upper_org.name} (b/c);"] if upper_org and issuer != upper_org else []
        recipients += ["- Các sở, ban, ngành;", "- UBND các xã, phường, đặc khu;"]
    else:
        if plan.standing_agency and plan.standing_agency != issuer:
            recipients.append(f"- {plan.standing_agency.name} (t/h);")
        if upper_org and upper_org != issuer:
            recipients.append(f"- {upper_org.short_name or upper_org.name} (b/c);")
    recipients.append(f"- Lưu: VT, {abbr}.")
    return Letterhead(
        parent_body=parent_body,
        issuing_body=issuing,
        issuer_name=committee_of(issuer) if issuing.startswith("ỦY BAN NHÂN DÂN ") and issuer.kind != OrgKind.PEOPLES_COMMITTEE else issuer.name,
        abbreviation=abbr,
        number=f"Số:         /BC-{abbr}",
        place=place,
        date_line=date_line(place, today),
        signer_authority=authority,
        signer_title=title,
        signer_name=_signer_name(issuer),
        recipients=tuple(recipients),
    )


# ---------------------------------------------------------------- tasks


def _org_label(org: Organisation) -> str:
    return org.short_name or org.name


def _consolidated_text(row: TaskRow, attr: str) -> str:
    """One unit: its text as typed. Several: each distinct text once, with who wrote it
    (up to NAMES_SHOWN names, else how many units), most frequent first."""
    if len(row.lines) == 1:
        return clean_text(getattr(row.lines[0], attr))
    by_text: dict[str, list[Organisation]] = defaultdict(list)
    for ln in row.lines:
        text = clean_text(getattr(ln, attr)).strip()
        if text:
            by_text[text].append(ln.org)
    parts = []
    for text, orgs in sorted(by_text.items(), key=lambda kv: (-len(kv[1]), kv[1][0].path)):
        if len(orgs) <= NAMES_SHOWN:
            who = ", ".join(_org_label(o) for o in orgs)
        else:
            who = f"{len(orgs)} đơn vị"
        parts.append(f"- {text} ({who})")
    return "\n".join(parts)


def _row_progress(row: TaskRow) -> tuple[str, date | None]:
    """The task's progress over the subtree: done when every assigned unit has finished."""
    if row.assigned and row.done == row.assigned:
        dates = [ln.completed_on for ln in row.lines if ln.completed_on]
        return "done", max(dates) if dates else None
    if row.done or row.in_progress:
        return "in_progress", None
    return "not_started", None


def _counts(counter: Counter, order: tuple[str, ...], labels: dict[str, str]) -> tuple[StatusCount, ...]:
    keys = [k for k in order if k in counter] + sorted(k for k in counter if k not in order)
    return tuple(StatusCount(k, labels[k], counter[k]) for k in keys)


def _status_key(status) -> str:
    return getattr(status, "value", str(status))


def _count_sentence(counts: tuple[StatusCount, ...]) -> str:
    return "; ".join(f"{c.label}: {vn_num(c.count)}" for c in counts if c.count)


# ---------------------------------------------------------------- indicators


def _baseline(ind: Indicator) -> Observation | None:
    if ind.baseline_value is None or ind.baseline_year is None:
        return None
    return Observation(date(ind.baseline_year, 12, 31), ind.baseline_value)


def _indicator_history(
    period: ReportingPeriod, root: Organisation, indicators: list[Indicator], accepted_only: bool,
    as_of: date | None = None,
) -> dict[int, list[Observation]]:
    """Consolidated values of the earlier periods (ended before `period` and by `as_of`), for
    the trend; reports counted as in the export itself. One query for all of them; each
    period's figure rolls up by the consolidation's own rule (indicator_row), so the trend
    and the current value are computed the same way."""
    earlier_qs = ReportingPeriod.objects.filter(plan=period.plan, end__lt=period.end)
    if as_of is not None:
        earlier_qs = earlier_qs.filter(end__lte=as_of)
    earlier = list(earlier_qs.order_by("-end")[:HISTORY_PERIODS])
    if not earlier:
        return {}
    values = IndicatorValue.objects.filter(
        report__period__in=earlier, report__org__path__startswith=root.path,
        report__status__in=counted_statuses(accepted_only),
    ).select_related("report__org")
    grouped: dict[tuple[int, int], list] = defaultdict(list)
    for v in values:
        grouped[(v.report.period_id, v.indicator_id)].append((v.report.org, v))
    history: dict[int, list[Observation]] = defaultdict(list)
    for p in earlier:
        for ind in indicators:
            pairs = grouped.get((p.pk, ind.pk))
            if not pairs:
                continue
            row = indicator_row(ind, pairs)
            if row.value is not None:
                history[ind.pk].append(Observation(p.end, row.value))
    return history


# ---------------------------------------------------------------- the builder


def build_report_data(
    period: ReportingPeriod, root: Organisation, *, today: date, accepted_only: bool = False,
    consolidation: Consolidation | None = None,
) -> ReportData:
    """What the report on `period` for `root`'s subtree says. `today` is the report's date
    (the date line); everything the report judges is judged as of report_as_of(period, today),
    so a report on an earlier period says what that period's reports said, whenever it is made
    and whatever was reported later."""
    plan = period.plan
    cons = consolidation or consolidation_for(period, root, accepted_only=accepted_only)
    consolidated = cons.units_expected > 1 or root.kind == OrgKind.PROVINCE
    lh = letterhead_for(period, root, today=today, consolidated=consolidated)
    as_of = report_as_of(period, today)
    # A unit below the plan's owner (a commune, a department on the province's plan) reports
    # on its own part: the tasks assigned in its subtree and the indicators it answers for or
    # reported on, not the whole province's plan.
    scoped = not plan.owner.path.startswith(root.path)
    own_indicators = (
        set(Indicator.responsible.through.objects.filter(indicator__plan=plan, organisation__path__startswith=root.path)
            .values_list("indicator_id", flat=True))
        if scoped else set()
    )  # fmt: skip

    # Tasks: a status per task over the subtree and one per assigned unit.
    task_lines: list[TaskLine] = []
    task_counter: Counter = Counter()
    line_counter: Counter = Counter()
    labels: dict[str, str] = {}
    # The deadline in force on the day the report describes (an amendment may have moved it
    # since: plans.TaskTerm), printed and judged alike.
    terms = task_terms_as_of([row.task.pk for _, rows in cons.groups for row in rows], as_of)
    for group, rows in cons.groups:
        if scoped:
            rows = [row for row in rows if row.assigned]
            if not rows:
                continue
        if group is not None:
            task_lines.append(TaskLine(kind="group", tt=group.code, name=clean_text(group.name)))
        for row in rows:
            term = terms.get(row.task.pk)
            deadline = term.deadline if term is not None else row.task.deadline
            deadline_raw = term.deadline_raw if term is not None else row.task.deadline_raw
            for ln in row.lines:
                st = task_status(
                    deadline, ln.status or "not_started", ln.completed_on, as_of,
                    reported_this_period=ln.status is not None,
                )
                labels[_status_key(st)] = st.label
                line_counter[_status_key(st)] += 1
            progress, completed_on = _row_progress(row)
            st = task_status(
                deadline, progress, completed_on, as_of,
                reported_this_period=bool(row.assigned) and row.reported == row.assigned,
            )
            key = _status_key(st)
            labels[key] = st.label
            task_counter[key] += 1
            task_lines.append(
                TaskLine(
                    kind="task",
                    tt=row.task.code,
                    name=clean_text(row.task.name),
                    lead=clean_text(row.lead_text),
                    result_required=clean_text(row.task.result),
                    deadline=clean_text(deadline_raw),
                    result_to_date=_consolidated_text(row, "result_to_date"),
                    expected_next=_consolidated_text(row, "expected_next"),
                    obstacles=_consolidated_text(row, "obstacles"),
                    status=key,
                    status_label=st.label,
                    assigned=row.assigned,
                    reported=row.reported,
                    done=row.done,
                    in_progress=row.in_progress,
                    not_started=row.not_started,
                    task_id=row.task.pk,
                )
            )
    task_counts = _counts(task_counter, TASK_STATUS_ORDER, labels)
    assignment_counts = _counts(line_counter, TASK_STATUS_ORDER, labels)

    # Indicators, with the group rows of the printed table.
    years = tuple(plan.milestone_years or ())
    rows_by_id = {r.indicator.pk: r for r in cons.indicators}
    history = _indicator_history(period, root, [r.indicator for r in cons.indicators], accepted_only, as_of)
    targets_by_ind: dict[int, dict[int, IndicatorTarget]] = defaultdict(dict)
    for t in IndicatorTarget.objects.filter(indicator__plan=plan):
        targets_by_ind[t.indicator_id][t.year] = t
    ind_lines: list[IndicatorLine] = []
    ind_counter: Counter = Counter()
    ind_labels: dict[str, str] = {}
    plan_indicators = list(Indicator.objects.filter(plan=plan).order_by("position"))
    if scoped:
        kept = {
            i.pk for i in plan_indicators
            if not i.is_group and (i.pk in own_indicators or (rows_by_id.get(i.pk) and rows_by_id[i.pk].contributors))
        }  # fmt: skip
        # a group row stays when one of its indicators does
        parents = {i.parent_id for i in plan_indicators if i.pk in kept}
        plan_indicators = [i for i in plan_indicators if i.pk in kept or (i.is_group and i.pk in parents)]
    for ind in plan_indicators:
        targets = targets_by_ind.get(ind.pk, {})
        printed = tuple(clean_text(targets[y].raw) if y in targets and targets[y].raw else "" for y in years)
        if ind.is_group:
            ind_lines.append(IndicatorLine(kind="group", tt=ind.code, name=clean_text(ind.name), targets=printed))
            continue
        row = rows_by_id.get(ind.pk)
        value = row.value if row else None
        observations = list(history.get(ind.pk, []))
        if value is not None:
            # The period's value describes the period up to the report's day (a running
            # period's value is what has been reported so far).
            observations.append(Observation(min(period.end, as_of), value))
        a = assess_indicator(
            name=ind.name, unit=ind.unit, direction=ind.direction,
            targets={y: t.target for y, t in targets.items()},
            observations=observations, today=as_of, baseline=_baseline(ind),
        )
        key = _status_key(a.status)
        ind_labels[key] = a.status.label
        ind_counter[key] += 1
        ind_lines.append(
            IndicatorLine(
                kind="indicator",
                tt=ind.code,
                name=clean_text(ind.name),
                unit=clean_text(ind.unit),
                targets=printed,
                agency=clean_text(ind.agency_text),
                value=value,
                value_text=vn_num(value),
                status=key,
                status_label=a.status.label,
                reason=clean_text(getattr(a, "reason", "")),
                rule=row.rule_label if row else "",
                indicator_id=ind.pk,
            )
        )
    indicator_counts = _counts(ind_counter, INDICATOR_STATUS_ORDER, ind_labels)

    # Reports received, missing units, obstacles and recommendations.
    rc = cons.report_counts
    all_reports = list(
        UnitReport.objects.filter(period=period, org__path__startswith=root.path)
        .select_related("org")
        .only("org__name", "org__short_name", "org__path", "status", "general_obstacles", "general_recommendations")
    )
    # "Chưa gửi" counts the units that never sent (no report, or a draft): a report under
    # review or returned was sent, whichever reports the figures count.
    reported_ids = {r.org_id for r in all_reports if r.status != ReportStatus.DRAFT}
    missing = tuple(o.name for o in cons.expected_orgs if o.pk not in reported_ids)
    counted = counted_statuses(accepted_only)
    reports = [r for r in all_reports if r.status in counted]
    sent = rc.get("submitted", 0) + rc.get("accepted", 0)

    obstacles = _main_points(
        [(r.org, r.general_obstacles) for r in reports]
        + [(ln.org, ln.obstacles) for _, rows in cons.groups for row in rows for ln in row.lines]
    )
    recommendations = list(_main_points([(r.org, r.general_recommendations) for r in reports]))
    if missing:
        recommendations.append(
            f"Đề nghị {vn_num(len(missing))} đơn vị chưa gửi báo cáo kỳ {period_phrase(period.label)} khẩn trương gửi báo cáo "
            f"({_name_list(missing)})."
        )
    overdue = [t for t in task_lines if t.status == "overdue"]
    if overdue:
        recommendations.append(
            "Đề nghị các đơn vị chủ trì tập trung hoàn thành các nhiệm vụ đã quá hạn: "
            + ", ".join(f"nhiệm vụ {t.tt}" for t in overdue) + "."
        )

    who = lh.issuer_name
    intro = (
        f"Thực hiện {clean_text(plan.name)}, {who} báo cáo kết quả thực hiện "
        f"{'của các đơn vị trên địa bàn ' + _place_of(root) if consolidated else ''}"
        f"{' ' if consolidated else ''}kỳ {period_phrase(period.label)} (từ ngày {vn_date(period.start)} đến ngày "
        f"{vn_date(period.end)}) như sau:"
    ).replace("  ", " ")
    reporting_summary = (
        f"Tổng số đơn vị phải báo cáo: {vn_num(cons.units_expected)}; đã gửi: {vn_num(sent)} "
        f"(đã tiếp nhận: {vn_num(rc.get('accepted', 0))}, đang xem xét: {vn_num(rc.get('submitted', 0))}); "
        f"bị trả lại để hoàn thiện: {vn_num(rc.get('returned', 0))}; chưa gửi: {vn_num(len(missing))}. "
        + (
            f"Số liệu trong báo cáo này tổng hợp từ {vn_num(len(reports))} báo cáo đã được tiếp nhận."
            if accepted_only else
            f"Số liệu trong báo cáo này tổng hợp từ {vn_num(len(reports))} báo cáo đã gửi (kể cả báo cáo đang "
            "xem xét); không tính báo cáo nháp và báo cáo bị trả lại."
        )
    )
    n_tasks = sum(1 for t in task_lines if t.kind == "task")
    if scoped:
        task_summary = (
            f"{lh.issuer_name} được giao {vn_num(n_tasks)} nhiệm vụ của Kế hoạch. Đến ngày {vn_date(as_of)}: "
            f"{_count_sentence(task_counts)}."
        ) if n_tasks else f"{lh.issuer_name} không được giao nhiệm vụ nào của Kế hoạch."
    else:
        task_summary = f"Kế hoạch có {vn_num(n_tasks)} nhiệm vụ. Đến ngày {vn_date(as_of)}: {_count_sentence(task_counts)}."
    n_lines = sum(line_counter.values())
    assignment_summary = (
        f"Xét theo từng đơn vị được giao ({vn_num(n_lines)} lượt giao nhiệm vụ): {_count_sentence(assignment_counts)}."
    )
    n_ind = sum(ind_counter.values())
    if scoped:
        indicator_summary = (
            f"{lh.issuer_name} chủ trì hoặc báo cáo {vn_num(n_ind)} chỉ tiêu của Kế hoạch. "
            f"{_count_sentence(indicator_counts).capitalize()}."
        ) if n_ind else f"{lh.issuer_name} không chủ trì chỉ tiêu nào của Kế hoạch."
    else:
        indicator_summary = f"Kế hoạch có {vn_num(n_ind)} chỉ tiêu. {_count_sentence(indicator_counts).capitalize()}."
    next_label = _next_label(period)
    task_headers = (
        "TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Kết quả yêu cầu", "Thời hạn hoàn thành",
        f"Kết quả (đến ngày {vn_date(as_of)})", f"Dự kiến kết quả {next_label}", "Vướng mắc, kiến nghị",
        "Tình trạng",
    )
    indicator_headers = (
        ("STT", "Tên chỉ tiêu", "Đơn vị tính")
        + tuple(str(y) for y in years)
        + ("Cơ quan chủ trì", f"Giá trị mới nhất (kỳ {period_phrase(period.label)})", "Tình trạng")
    )
    return ReportData(
        plan_name=clean_text(plan.name),
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        as_of=as_of,
        org_name=root.name,
        is_consolidated=consolidated,
        letterhead=lh,
        title="BÁO CÁO",
        subject=f"Kết quả thực hiện {_short_plan_name(plan.name)} (kỳ {period_phrase(period.label)})",
        intro=intro,
        reporting_summary=reporting_summary,
        task_summary=task_summary,
        assignment_summary=assignment_summary,
        indicator_summary=indicator_summary,
        obstacles=tuple(obstacles),
        recommendations=tuple(recommendations),
        closing=(
            f"Trên đây là báo cáo kết quả thực hiện kỳ {period_phrase(period.label)} của {lh.issuer_name}. "
            "Chi tiết tại các phụ lục kèm theo."
        ),
        task_headers=task_headers,
        task_lines=tuple(task_lines),
        milestone_years=years,
        indicator_headers=indicator_headers,
        indicator_lines=tuple(ind_lines),
        task_counts=task_counts,
        assignment_counts=assignment_counts,
        indicator_counts=indicator_counts,
        report_counts=dict(rc),
        units_expected=cons.units_expected,
        missing_units=missing,
    )


def _main_points(pairs: list[tuple[Organisation, str]]) -> list[str]:
    """Distinct texts, most widely raised first, each with who raised it."""
    by_text: dict[str, set[int]] = defaultdict(set)
    orgs: dict[int, Organisation] = {}
    for org, text in pairs:
        t = clean_text(text).strip().rstrip(".;")
        if t:
            by_text[t].add(org.pk)
            orgs[org.pk] = org
    ranked = sorted(by_text.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:MAIN_POINTS]
    out = []
    for text, ids in ranked:
        names = sorted((orgs[i] for i in ids), key=lambda o: o.path)
        if len(names) == 1 and len(by_text) and len(orgs) == 1:
            out.append(f"{text}.")
        else:
            out.append(f"{text} ({_name_list(tuple(_org_label(o) for o in names))}).")
    return out


def _name_list(names: tuple[str, ...]) -> str:
    if len(names) <= NAMES_SHOWN:
        return ", ".join(names)
    return ", ".join(names[:NAMES_SHOWN]) + f" và {vn_num(len(names) - NAMES_SHOWN)} đơn vị khác"


def _place_of(root: Organisation) -> str:
    if root.kind == OrgKind.PROVINCE:
        return "tỉnh"
    return root.name


def _short_plan_name(name: str) -> str:
    name = clean_text(name).split(" (")[0]
    return name[:1].lower() + name[1:] if name[:2] == "Kế" else name


def period_phrase(label: str) -> str:
    """A period label inside a sentence: "kỳ tháng 10/2026", not "kỳ Tháng 10/2026"."""
    first = label.split(" ", 1)[0]
    return label[:1].lower() + label[1:] if first in ("Tháng", "Quý", "Năm") else label


def _next_label(period: ReportingPeriod) -> str:
    end = period.end
    m, y = (1, end.year + 1) if end.month == 12 else (end.month + 1, end.year)
    if period.kind == "month":
        return f"đến tháng {m}/{y}"
    return "kỳ tới"


__all__ = [
    "IndicatorLine", "Letterhead", "ReportData", "StatusCount", "TaskLine", "build_report_data", "consolidation_for",
    "counted_statuses", "date_line", "report_as_of", "vn_num",
]
