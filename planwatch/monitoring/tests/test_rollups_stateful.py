"""Property: whatever happens to a plan and its units, in whatever order, the roll-ups kept
incrementally equal a rebuild from the base tables, the SQL statuses equal the pure rules of
status.py, and no report line is ever lost.

Each random sequence works in a small world of its own (a plan of three tasks and two
indicators, six units under the province) built at the start of the sequence and rolled back
at its end; after every step the stored rows of that plan are compared with the rebuild's own
computation (services.compute_rollups) restricted to it, which is exact because nothing in the
world touches another plan. The number of sequences comes from the hypothesis profile
(PLANWATCH_HYPOTHESIS_PROFILE: "ci" = 500, the default "dev" = 60)."""

from __future__ import annotations

import os
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from planwatch.monitoring.models import TaskState
from planwatch.monitoring.tests.rollup_check import assert_sql_statuses_match_rules, rollup_differences
from planwatch.orgs.models import Organisation, OrgKind
from planwatch.orgs.services import org_end, org_merge, org_move
from planwatch.plans.interchange import export_plan
from planwatch.plans.models import Assignment, Indicator, IndicatorTarget, Task
from planwatch.plans.services import plan_apply_amendment, plan_import, target_update, task_update
from planwatch.reporting.models import IndicatorValue, PeriodKind, ReportStatus, TaskProgress, UnitReport
from planwatch.reporting.services import period_open, report_accept, report_return

settings.register_profile("ci", max_examples=500, stateful_step_count=6, deadline=None,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("dev", max_examples=60, stateful_step_count=6, deadline=None,
                          suppress_health_check=list(HealthCheck))
PROFILE = os.environ.get("PLANWATCH_HYPOTHESIS_PROFILE", "dev")

UNITS = 6
MONTHS = ["Tháng {m}/{y}", "Quý {q}/{y}", "Năm {y}", "Thường xuyên"]
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
TARGETS = ["≥ 50%", "> 70", "30-40", "≤ 20", "X", "100", "≥ 95%"]


def _deadline_text(today: date, shift_months: int, form: int) -> str:
    y, m = divmod(today.year * 12 + today.month - 1 + shift_months, 12)
    m += 1
    return MONTHS[form].format(m=m, y=y, q=ROMAN[(m - 1) // 3 + 1])


def _world_document(code: str, province: Organisation, units: list[Organisation], today: date) -> dict:
    unit_codes = [u.code for u in units]
    return {
        "format": "planwatch-plan",
        "version": 1,
        "plan": {
            "code": code, "name": "Kế hoạch thử nghiệm thuộc tính", "owner": {"code": province.code},
            "milestone_years": [today.year, today.year + 1], "reporting_schedule": "monthly", "reporting_due_day": 10,
        },
        "document": None,
        "indicators": [
            {"code": "1", "name": "Số dự án", "kind": "count", "aggregation": "sum", "unit": "dự án",
             "responsible": unit_codes[:2],
             "targets": [{"year": today.year, "raw": "≥ 10"}, {"year": today.year + 1, "raw": "≥ 20"}]},
            {"code": "2", "name": "Tỷ lệ hồ sơ trực tuyến", "kind": "ratio", "aggregation": "ratio", "unit": "%",
             "responsible": unit_codes[2:4],
             "targets": [{"year": today.year + 1, "raw": "≥ 80%"}]},
        ],
        "task_groups": [{"code": "I", "name": "Nhóm một"}],
        "tasks": [
            {"code": str(n + 1), "group": "I", "name": f"Nhiệm vụ {n + 1}", "deadline_raw": _deadline_text(today, shift, form),
             "assignments": [{"org": unit_codes[n], "role": "lead"}, {"org": unit_codes[n + 3], "role": "coordinating"}]}
            for n, (shift, form) in enumerate([(-1, 0), (1, 1), (0, 3)])
        ],
    }  # fmt: skip


class PlanLife(RuleBasedStateMachine):
    """Random edits of a small plan and its units, checked after each step."""

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.today = timezone.localdate()
        self.lines = 0  # report lines this sequence wrote (none may disappear)

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @initialize()
    def build_world(self):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        self.actor = User.objects.get(username="thuongtruc.skhcn")  # the province's standing agency
        self.province = Organisation.objects.get(code="qn")
        self.parent = Organisation.objects.create(code="pbt-root", name="Khối thử nghiệm", kind=OrgKind.GROUP, parent=self.province)
        self.units = [
            Organisation.objects.create(code=f"pbt-{n}", name=f"Đơn vị thử nghiệm {n}", kind=OrgKind.AGENCY, parent=self.parent)
            for n in range(UNITS)
        ]  # fmt: skip
        self.plan = plan_import(data=_world_document("pbt-plan", self.province, self.units, self.today), actor=self.actor)
        self.periods = []
        for back in (2, 1):
            y, m = divmod(self.today.year * 12 + self.today.month - 1 - back, 12)
            self.periods.append(period_open(plan=self.plan, kind=PeriodKind.MONTH, year=y, number=m + 1))

    # ------------------------------------------------------------------ helpers

    def _tasks(self):
        return list(Task.objects.filter(plan=self.plan).order_by("code"))

    def _live_units(self):
        return [u for u in Organisation.objects.filter(pk__in=[u.pk for u in self.units]) if u.valid_to is None]

    def _pick(self, data, items, label):
        return data.draw(st.sampled_from(items), label=label) if items else None

    # ------------------------------------------------------------------ plan edits

    @rule(data=st.data(), shift=st.integers(-8, 8), form=st.integers(0, 3), via_service=st.booleans())
    def change_deadline(self, data, shift, form, via_service):
        task = self._pick(data, self._tasks(), "task")
        raw = _deadline_text(self.today, shift, form)
        if via_service:
            task_update(task=task, actor=self.actor, effective=self.today, deadline_raw=raw)
        else:  # the admin or a script: Task.save() with only the printed text changed
            task.deadline_raw = raw
            task.save()

    @rule(data=st.data(), role=st.sampled_from(["lead", "coordinating"]))
    def add_assignment(self, data, role):
        task = self._pick(data, self._tasks(), "task")
        unit = self._pick(data, self._live_units(), "unit")
        if unit is not None:
            Assignment.objects.get_or_create(task=task, org=unit, role=role)

    @rule(data=st.data())
    def remove_assignment(self, data):
        a = self._pick(data, list(Assignment.objects.filter(task__plan=self.plan).order_by("pk")), "assignment")
        if a is not None:
            a.delete()

    @rule(data=st.data())
    def move_assignment_in_place(self, data):
        a = self._pick(data, list(Assignment.objects.filter(task__plan=self.plan).order_by("pk")), "assignment")
        unit = self._pick(data, self._live_units(), "unit")
        if a is None or unit is None or Assignment.objects.filter(task=a.task, org=unit, role=a.role).exists():
            return
        a.org = unit
        a.save()

    @rule(data=st.data(), raw=st.sampled_from(TARGETS), via_service=st.booleans())
    def edit_target(self, data, raw, via_service):
        target = self._pick(data, list(IndicatorTarget.objects.filter(indicator__plan=self.plan).order_by("pk")), "target")
        if via_service:
            target_update(target=target, actor=self.actor, raw=raw)
        else:  # the admin: only the printed text changes
            target.raw = raw
            target.save()

    @rule(data=st.data(), add=st.booleans())
    def change_responsible_unit(self, data, add):
        ind = self._pick(data, list(Indicator.objects.filter(plan=self.plan).order_by("code")), "indicator")
        unit = self._pick(data, self.units, "unit")
        (ind.responsible.add if add else ind.responsible.remove)(unit)

    @rule(data=st.data(), drop=st.booleans(), shift=st.integers(-6, 6))
    def amend_plan(self, data, drop, shift):
        doc = export_plan(self.plan)
        if not doc["tasks"]:
            return
        victim = data.draw(st.sampled_from([t["code"] for t in doc["tasks"]]), label="amended task")
        if drop and len(doc["tasks"]) > 1:
            doc["tasks"] = [t for t in doc["tasks"] if t["code"] != victim]
        else:
            t = next(t for t in doc["tasks"] if t["code"] == victim)
            t["deadline_raw"], _ = _deadline_text(self.today, shift, 0), t.pop("deadline", None)
        plan_apply_amendment(data=doc, effective=self.today, actor=self.actor,
                             document={"number": "99/QĐ-UBND", "date": self.today.isoformat()})

    # ------------------------------------------------------------------ reorganisation

    @rule(data=st.data())
    def move_unit(self, data):
        unit = self._pick(data, self.units, "unit")
        parent = self._pick(data, [self.parent, *self.units], "new parent")
        try:
            org_move(org=unit, new_parent=parent, effective=self.today, actor=self.actor, reason="Sắp xếp lại")
        except ValidationError:
            pass  # a cycle (under itself or a descendant) or an ended parent: refused, nothing written

    @rule(data=st.data(), days=st.integers(-40, 20))
    def end_unit(self, data, days):
        live = self._live_units()
        if len(live) < 3:
            return
        unit = self._pick(data, live, "ended unit")
        successor = self._pick(data, [u for u in live if u.pk != unit.pk], "successor")
        try:
            org_end(org=unit, effective=self.today + timedelta(days=days), successors=[successor], actor=self.actor,
                    reason="Kết thúc hoạt động")
        except ValidationError:
            pass

    @rule(data=st.data())
    def merge_units(self, data):
        live = self._live_units()
        if len(live) < 4:
            return
        a, b, into = data.draw(st.permutations(live), label="merge").__getitem__(slice(0, 3))
        try:
            org_merge(orgs=[a, b], into=into, effective=self.today, actor=self.actor, reason="Hợp nhất")
        except ValidationError:
            pass

    # ------------------------------------------------------------------ reports

    @rule(data=st.data(), done=st.booleans(), value=st.integers(0, 50))
    def accept_a_report(self, data, done, value):
        period = self._pick(data, self.periods, "period")
        unit = self._pick(data, self.units, "unit")
        if UnitReport.objects.filter(period=period, org=unit).exists():
            return
        report = UnitReport.objects.create(period=period, org=unit, status=ReportStatus.SUBMITTED)
        task_ids = set(Assignment.objects.filter(task__plan=self.plan, org=unit).values_list("task_id", flat=True))
        TaskProgress.objects.bulk_create([
            TaskProgress(report=report, task_id=t, status="done" if done else "in_progress",
                         completed_on=period.end - timedelta(days=2) if done else None)
            for t in sorted(task_ids)
        ])  # fmt: skip
        values = [
            IndicatorValue(report=report, indicator=i, value=Decimal(value))
            if i.aggregation == "sum"
            else IndicatorValue(report=report, indicator=i, numerator=Decimal(value), denominator=Decimal(50))
            for i in Indicator.objects.filter(plan=self.plan, is_group=False, responsible=unit)
        ]
        IndicatorValue.objects.bulk_create(values)
        self.lines += len(task_ids) + len(values)
        report_accept(report=report, by=self.actor)

    @rule(data=st.data())
    def return_a_report(self, data):
        report = self._pick(
            data, list(UnitReport.objects.filter(period__plan=self.plan, status=ReportStatus.ACCEPTED).order_by("pk")), "report"
        )
        if report is not None:
            report_return(report=report, by=self.actor, comment="Bổ sung số liệu")

    # ------------------------------------------------------------------ what must always hold

    @invariant()
    def rollups_equal_a_rebuild(self):
        if not hasattr(self, "plan"):
            return
        diff = rollup_differences(self.today, plan_ids=[self.plan.pk])
        assert not diff, diff

    @invariant()
    def sql_statuses_equal_the_pure_rules(self):
        if not hasattr(self, "plan"):
            return
        for day in (self.today, self.today + timedelta(days=45)):
            assert_sql_statuses_match_rules(TaskState.objects.filter(plan=self.plan), day)

    @invariant()
    def no_report_line_is_lost(self):
        if not hasattr(self, "plan"):
            return
        kept = (
            TaskProgress.objects.filter(report__period__plan=self.plan).count()
            + IndicatorValue.objects.filter(report__period__plan=self.plan).count()
        )
        assert kept == self.lines


@pytest.mark.django_db
def test_random_lives_of_a_plan_keep_the_rollups_exact_and_every_report_line(demo):
    run_state_machine_as_test(PlanLife, settings=settings.get_profile(PROFILE))
