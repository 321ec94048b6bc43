"""Synthetic national dataset for scale tests: 34 provinces and 3,321 communes/wards of the
package vietnam-provinces, ~20 departments per province, plan 327 replicated per province with
its fan-out to communes, and 12 monthly periods of reports with realistic variation.

Everything it creates has codes starting with "nat-" under one root "nat-vn", so it never
mixes with the Quảng Ngãi demo (whose own province keeps the code "qn"). Bulk writes only;
the roll-ups are rebuilt at the end."""

from __future__ import annotations

import random
import time
from collections import defaultdict
from datetime import date, datetime, time as dtime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from planwatch.lib.numbers import ratio_percent
from planwatch.orgs.models import DEPARTMENT_KINDS, LOCALITY_KINDS, Organisation, OrgKind
from planwatch.plans.models import Assignment, Indicator, IndicatorTarget, Plan, Task, TaskGroup
from planwatch.reporting import periods as P
from planwatch.reporting.models import IndicatorValue, PeriodKind, ReportingPeriod, ReportStatus, TaskProgress, UnitReport

PREFIX = "nat-"
SOURCE_PLAN = "qn-327-2025"
DEPARTMENTS = [
    "Sở Khoa học và Công nghệ", "Sở Tài chính", "Sở Nội vụ", "Sở Tư pháp", "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường", "Sở Xây dựng", "Sở Giáo dục và Đào tạo", "Sở Y tế",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Dân tộc và Tôn giáo", "Văn phòng UBND tỉnh", "Thanh tra tỉnh",
    "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Ban Quản lý các khu công nghiệp", "Đài Phát thanh và Truyền hình",
    "Bảo hiểm xã hội tỉnh", "Ngân hàng Nhà nước khu vực", "Trung tâm Phục vụ hành chính công",
]  # fmt: skip
BATCH = 5000


def _aware(d: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(d, dtime(hour, 0)))


def _set_paths(orgs: list[Organisation], parent: Organisation | None) -> None:
    for o in orgs:
        base = parent.path if parent else "/"
        o.path = f"{base}{o.pk}/"
        o.depth = o.path.count("/") - 2
    Organisation.objects.bulk_update(orgs, ["path", "depth"], batch_size=BATCH)


def clear(say=print) -> None:
    with transaction.atomic():
        plans = Plan.objects.filter(code__startswith=PREFIX)
        UnitReport.objects.filter(period__plan__in=plans).delete()
        plans.delete()
        orgs = Organisation.objects.filter(code__startswith=PREFIX).order_by("-depth")
        for depth in sorted(set(orgs.values_list("depth", flat=True)), reverse=True):
            Organisation.objects.filter(code__startswith=PREFIX, depth=depth).delete()
    say("Đã xóa dữ liệu quốc gia tổng hợp cũ")


def generate(*, months: int = 12, end: date | None = None, seed: int = 57, provinces: int | None = None, say=print) -> dict:
    from vietnam_provinces import Province, Ward

    rnd = random.Random(seed)
    t0 = time.monotonic()
    if Organisation.objects.filter(code=f"{PREFIX}vn").exists():
        clear(say)
    source = Plan.objects.get(code=SOURCE_PLAN)
    end = end or (timezone.localdate().replace(day=1) - timedelta(days=1))  # last finished month

    with transaction.atomic():
        root = Organisation(code=f"{PREFIX}vn", name="Toàn quốc (dữ liệu tổng hợp)", kind=OrgKind.GROUP)
        root.save()
        provs = list(Province.iter_all())[:provinces]
        prov_orgs = Organisation.objects.bulk_create([
            Organisation(code=f"{PREFIX}{p.code.value:02d}", name=p.name, kind=OrgKind.PROVINCE, parent=root,
                         admin_code=f"{p.code.value:02d}", search_key="")
            for p in provs
        ])  # fmt: skip
        _set_paths(prov_orgs, root)
        by_code = {p.code.value: o for p, o in zip(provs, prov_orgs)}
        depts, communes = [], []
        for p, po in zip(provs, prov_orgs):
            for i, name in enumerate(DEPARTMENTS):
                depts.append(Organisation(code=f"{PREFIX}{po.admin_code}-d{i:02d}", name=name, short_name=name.replace("Sở ", ""),
                                          kind=OrgKind.DEPARTMENT if name.startswith("Sở") else OrgKind.AGENCY, parent=po))  # fmt: skip
        wanted = set(by_code)
        for w in Ward.iter_all():
            pc = w.province_code.value
            if pc not in wanted:
                continue
            kind = OrgKind.WARD if w.name.startswith("Phường") else OrgKind.SPECIAL_ZONE if w.name.startswith("Đặc khu") else OrgKind.COMMUNE
            communes.append(Organisation(code=f"{PREFIX}w{w.code.value:05d}", name=w.name, kind=kind, parent=by_code[pc],
                                         admin_code=f"{w.code.value:05d}"))  # fmt: skip
        created = Organisation.objects.bulk_create(depts + communes, batch_size=BATCH)
        parents = {o.pk: o for o in prov_orgs}
        for o in created:
            par = parents[o.parent_id]
            o.path, o.depth = f"{par.path}{o.pk}/", par.depth + 1
        Organisation.objects.bulk_update(created, ["path", "depth"], batch_size=BATCH)
        say(f"Tổ chức: {len(prov_orgs)} tỉnh, {len(depts)} sở/ngành, {len(communes)} xã/phường ({time.monotonic() - t0:.0f}s)")

        kids: dict[int, dict[str, list[Organisation]]] = defaultdict(lambda: defaultdict(list))
        for o in created:
            kids[o.parent_id]["loc" if o.kind in LOCALITY_KINDS else "dept"].append(o)

        # The source plan's shape.
        groups = list(source.task_groups.all())
        tasks = list(source.tasks.all())
        src_asg = list(Assignment.objects.filter(task__plan=source).select_related("org"))
        src_depts = sorted({a.org_id for a in src_asg if a.org.kind in DEPARTMENT_KINDS})
        dept_index = {org_id: i % len(DEPARTMENTS) for i, org_id in enumerate(src_depts)}
        indicators = list(source.indicators.all().order_by("position"))
        targets = list(IndicatorTarget.objects.filter(indicator__plan=source))
        resp = defaultdict(list)
        for ind_id, org_id, kind in Indicator.responsible.through.objects.filter(indicator__plan=source).values_list(
            "indicator_id", "organisation_id", "organisation__kind"
        ):
            resp[ind_id].append((org_id, kind))
        src_dept_any = sorted(set(src_depts) | {o for v in resp.values() for o, k in v if k in DEPARTMENT_KINDS})
        dept_index.update({org_id: i % len(DEPARTMENTS) for i, org_id in enumerate(src_dept_any) if org_id not in dept_index})

        specs = []
        m_end = end
        for _ in range(months):
            specs.insert(0, P.spec_for("month", m_end.year, m_end.month, due_day=P.due_day_of(source)))
            m_end = m_end.replace(day=1) - timedelta(days=1)

        plans = Plan.objects.bulk_create([
            Plan(code=f"{PREFIX}{po.admin_code}-327", name=f"{source.name} ({po.name}, dữ liệu tổng hợp)", owner=po,
                 standing_agency=kids[po.pk]["dept"][0], milestone_years=source.milestone_years,
                 reporting_schedule=source.reporting_schedule, reporting_due_day=source.reporting_due_day)
            for po in prov_orgs
        ])  # fmt: skip
        new_groups = TaskGroup.objects.bulk_create(
            [TaskGroup(plan=pl, code=g.code, name=g.name, position=g.position) for pl in plans for g in groups], batch_size=BATCH
        )
        gmap = {(g.plan_id, g.code): g for g in new_groups}
        src_group_code = {g.pk: g.code for g in groups}
        new_tasks = Task.objects.bulk_create([
            Task(plan=pl, group=gmap.get((pl.pk, src_group_code.get(t.group_id))), code=t.code, position=t.position,
                 name=t.name, lead_text=t.lead_text, coordinating_text=t.coordinating_text, result=t.result,
                 deadline_raw=t.deadline_raw, deadline_spec=t.deadline_spec, deadline_kind=t.deadline_kind,
                 deadline_due=t.deadline_due, search_key=t.search_key, derived_from=t)
            for pl in plans for t in tasks
        ], batch_size=BATCH)  # fmt: skip
        tmap = {(t.plan_id, t.code): t for t in new_tasks}
        src_task_code = {t.pk: t.code for t in tasks}
        asg = []
        for pl, po in zip(plans, prov_orgs):
            seen = set()
            for a in src_asg:
                task = tmap[(pl.pk, src_task_code[a.task_id])]
                if a.org.kind in LOCALITY_KINDS:
                    targets_orgs = kids[po.pk]["loc"]
                elif a.org_id in dept_index:
                    targets_orgs = [kids[po.pk]["dept"][dept_index[a.org_id]]]
                else:
                    targets_orgs = [po]
                for o in targets_orgs:
                    if (task.pk, o.pk, a.role) not in seen:
                        seen.add((task.pk, o.pk, a.role))
                        asg.append(Assignment(task=task, org=o, role=a.role, source_text=a.source_text))
        Assignment.objects.bulk_create(asg, batch_size=BATCH)
        new_inds = Indicator.objects.bulk_create([
            Indicator(plan=pl, code=i.code, position=i.position, is_group=i.is_group, name=i.name, unit=i.unit, kind=i.kind,
                      direction=i.direction, aggregation=i.aggregation, agency_text=i.agency_text, aligned_to=i,
                      baseline_value=i.baseline_value, baseline_year=i.baseline_year, search_key=i.search_key)
            for pl in plans for i in indicators
        ], batch_size=BATCH)  # fmt: skip
        imap = {(n.plan_id, n.code): n for n in new_inds}
        src_ind_code = {i.pk: i.code for i in indicators}
        IndicatorTarget.objects.bulk_create([
            IndicatorTarget(indicator=imap[(pl.pk, src_ind_code[t.indicator_id])], year=t.year, raw=t.raw, spec=t.spec, note=t.note)
            for pl in plans for t in targets
        ], batch_size=BATCH)  # fmt: skip
        through = Indicator.responsible.through
        resp_rows, resp_new = [], defaultdict(list)
        for pl, po in zip(plans, prov_orgs):
            for ind in indicators:
                for org_id, kind in resp.get(ind.pk, []):
                    o = kids[po.pk]["dept"][dept_index[org_id]] if org_id in dept_index else po
                    n = imap[(pl.pk, ind.code)]
                    if o.pk not in resp_new[n.pk]:
                        resp_new[n.pk].append(o.pk)
                        resp_rows.append(through(indicator_id=n.pk, organisation_id=o.pk))
        through.objects.bulk_create(resp_rows, batch_size=BATCH)
        say(f"Kế hoạch: {len(plans)} bản sao, {len(new_tasks)} nhiệm vụ, {len(asg)} lượt giao, {len(new_inds)} chỉ tiêu ({time.monotonic() - t0:.0f}s)")

        periods = ReportingPeriod.objects.bulk_create([
            ReportingPeriod(plan=pl, kind=PeriodKind.MONTH, year=s.year, number=s.number, label=s.label, start=s.start,
                            end=s.end, due_date=s.due_date, is_sample=True)
            for pl in plans for s in specs
        ], batch_size=BATCH)  # fmt: skip

    # Reports: one transaction per province keeps memory flat and shows progress.
    unit_tasks_d: dict[int, dict[int, Task]] = defaultdict(dict)
    for a in asg:
        unit_tasks_d[a.org_id][a.task.pk] = a.task  # a unit may both lead and coordinate a task
    unit_tasks = {k: list(v.values()) for k, v in unit_tasks_d.items()}
    periods_by_plan = defaultdict(list)
    for p in periods:
        periods_by_plan[p.plan_id].append(p)
    ind_by_plan = defaultdict(list)
    for n in new_inds:
        if not n.is_group:
            ind_by_plan[n.plan_id].append(n)
    n_reports = n_lines = n_values = 0
    for k, (pl, po) in enumerate(zip(plans, prov_orgs), 1):
        with transaction.atomic():
            units = [o for o in [po] + kids[po.pk]["dept"] + kids[po.pk]["loc"] if unit_tasks.get(o.pk) or any(o.pk in resp_new[i.pk] for i in ind_by_plan[pl.pk])]
            diligence = {o.pk: rnd.betavariate(5, 1.5) for o in units}  # most units report, some rarely
            pace = {o.pk: rnd.uniform(0.5, 1.5) for o in units}
            reports = []
            for per in periods_by_plan[pl.pk]:
                for o in units:
                    if rnd.random() > diligence[o.pk]:
                        continue  # no report this period
                    late = rnd.random() < 0.15
                    sub = per.due_date + timedelta(days=rnd.randint(1, 12)) if late else per.due_date - timedelta(days=rnd.randint(0, 9))
                    status = ReportStatus.ACCEPTED if rnd.random() < 0.9 else rnd.choice([ReportStatus.SUBMITTED, ReportStatus.RETURNED])
                    reports.append(UnitReport(period=per, org=o, status=status, submitted_at=_aware(sub),
                                              accepted_at=_aware(sub + timedelta(days=2)) if status == ReportStatus.ACCEPTED else None,
                                              is_sample=True))  # fmt: skip
            UnitReport.objects.bulk_create(reports, batch_size=BATCH)
            lines, values = [], []
            for r in reports:
                per = r.period
                frac = (per.end - periods_by_plan[pl.pk][0].start).days / 365 * pace[r.org_id]
                for t in unit_tasks.get(r.org_id, []):
                    due = t.deadline_due or per.end
                    ahead = (per.end - (due - timedelta(days=240))).days / 240 * pace[r.org_id]
                    x = rnd.random()
                    if t.deadline_kind in ("recurring", "yearly", "from_year"):
                        st = "in_progress"
                    elif ahead > 1 and x < 0.75:
                        st = "done"
                    elif ahead > 0.2 or x < 0.3:
                        st = "in_progress"
                    else:
                        st = "not_started"
                    done_on = None
                    if st == "done":
                        done_on = min(per.end, due + timedelta(days=rnd.randint(-60, 45)))
                    rating = "" if rnd.random() < 0.7 else rnd.choice(["green", "green", "amber", "red"])
                    lines.append(TaskProgress(report=r, task=t, status=st, completed_on=done_on, rating=rating,
                                              rating_explanation="Thiếu kinh phí và nhân lực" if rating in ("amber", "red") else ""))  # fmt: skip
                for ind in ind_by_plan[pl.pk]:
                    if r.org_id not in resp_new[ind.pk]:
                        continue
                    base = float(ind.baseline_value or 0) or rnd.uniform(20, 60)
                    if ind.kind == "ratio":
                        den = Decimal(rnd.randint(200, 5000))
                        pct = min(100.0, max(0.0, base + 25 * frac + rnd.uniform(-3, 3)))
                        num = (den * Decimal(str(round(pct, 2))) / 100).quantize(Decimal(1))
                        values.append(IndicatorValue(report=r, indicator=ind, numerator=num, denominator=den, value=ratio_percent(num, den)))
                    elif ind.kind == "rank":
                        values.append(IndicatorValue(report=r, indicator=ind, value=Decimal(max(1, int(40 - 10 * frac + rnd.randint(-2, 2))))))
                    elif ind.kind == "qualitative":
                        values.append(IndicatorValue(report=r, indicator=ind, value=Decimal(int(frac > rnd.uniform(0.4, 1.2)))))
                    else:
                        values.append(IndicatorValue(report=r, indicator=ind, value=Decimal(str(round(base * (1 + frac) + rnd.uniform(-2, 2), 2)))))
            TaskProgress.objects.bulk_create(lines, batch_size=BATCH)
            IndicatorValue.objects.bulk_create(values, batch_size=BATCH)
            n_reports, n_lines, n_values = n_reports + len(reports), n_lines + len(lines), n_values + len(values)
        say(f"  [{k}/{len(plans)}] {po.name}: {len(reports)} báo cáo, {len(lines)} dòng tiến độ, {len(values)} số liệu ({time.monotonic() - t0:.0f}s)")
    from .services import rebuild_rollups

    counts = rebuild_rollups() or {"task_states": "(một lần tính lại khác đang chạy)"}
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")  # hundreds of thousands of new rows: fresh planner statistics
    say(f"Bảng tổng hợp: {counts} ({time.monotonic() - t0:.0f}s)")
    return {"root": root.pk, "reports": n_reports, "lines": n_lines, "values": n_values, **counts}
