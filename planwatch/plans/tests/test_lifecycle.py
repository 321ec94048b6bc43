"""When a unit ends, its open assignments pass to its successor(s) from that date, with
history: the old assignment ends on the unit's last day, the new one links back to it."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from planwatch.orgs.models import Organisation
from planwatch.orgs.services import org_end, org_merge
from planwatch.plans.lifecycle import pass_on_recorded_successions, transfer_open_assignments
from planwatch.plans.models import Assignment, AssignmentRole, Task
from planwatch.plans.signals import plan_changed

pytestmark = pytest.mark.django_db

REFORM = date(2025, 7, 1)
REASON = "Quyết định hợp nhất của UBND tỉnh"


def _org(code):
    return Organisation.objects.get(code=code)


def _free_task(demo, *orgs):
    """A task of the provincial plan none of `orgs` holds."""
    return Task.objects.filter(plan=demo.plan).exclude(assignments__org__in=orgs).order_by("position").first()


def _open(org):
    return Assignment.objects.filter(org=org, valid_to__isnull=True)


def test_the_newspaper_and_the_radio_station_pass_their_tasks_to_the_merged_unit(demo):
    bao, dai, merged = _org("qn-bao"), _org("qn-dai"), _org("qn-bptth")
    old = list(Assignment.objects.filter(org__in=[bao, dai]).order_by("pk"))
    assert old, "the demo assigns tasks to Báo Quảng Ngãi and the radio-television station"
    tasks = {(a.task_id, a.role) for a in old}
    held_before = {(a.task_id, a.role) for a in Assignment.objects.filter(org=merged)}

    org_merge(orgs=[bao, dai], into=merged, effective=REFORM, actor=demo.admin, reason=REASON)

    for a in old:
        a.refresh_from_db()
        assert a.valid_to == date(2025, 6, 30)
    assert not _open(bao).exists() and not _open(dai).exists()
    for task_id, role in tasks:
        inherited = Assignment.objects.get(org=merged, task_id=task_id, role=role)
        if (task_id, role) not in held_before:
            assert inherited.valid_from == REFORM
            assert inherited.transferred_from in old
            assert inherited.source_text == inherited.transferred_from.source_text


def test_the_merged_unit_inherits_a_task_it_did_not_hold(demo):
    bao, merged = _org("qn-bao"), _org("qn-bptth")
    task = _free_task(demo, bao, merged)
    mine = Assignment.objects.create(task=task, org=bao, role=AssignmentRole.LEAD, source_text="Báo Quảng Ngãi")
    org_merge(orgs=[bao], into=merged, effective=REFORM, actor=demo.admin, reason=REASON)
    new = Assignment.objects.get(task=task, org=merged)
    assert (new.role, new.valid_from, new.valid_to, new.transferred_from) == ("lead", REFORM, None, mine)
    assert new.source_text == "Báo Quảng Ngãi"
    assert list(mine.transferred_to.all()) == [new]


def test_a_merge_into_a_new_unit_created_for_it_carries_the_tasks(demo):
    bao, dai = _org("qn-bao"), _org("qn-dai")
    task = Task.objects.filter(plan=demo.plan).order_by("position").first()
    Assignment.objects.filter(org__in=[bao, dai]).delete()
    Assignment.objects.create(task=task, org=bao, role=AssignmentRole.COORDINATING)
    Assignment.objects.create(task=task, org=dai, role=AssignmentRole.COORDINATING)
    new = org_merge(
        orgs=[bao, dai],
        into=Organisation(code="qn-bptth-2", name="Báo và Phát thanh – Truyền hình", kind="agency"),
        effective=REFORM, actor=demo.admin, reason=REASON,
    )
    # Two predecessors held the same task in the same role: the new unit holds it once.
    inherited = Assignment.objects.get(org=new, task=task)
    assert inherited.role == "coordinating" and inherited.valid_from == REFORM
    assert Assignment.objects.filter(org__in=[bao, dai], task=task, valid_to=date(2025, 6, 30)).count() == 2


def test_the_dissolved_district_passes_its_offices_tasks_to_its_successor_communes(demo):
    district = demo.sontinh
    communes = [s.successor for s in district.successions.select_related("successor").order_by("successor__name")]
    assert len(communes) == 4
    office_ids = list(district.subtree().exclude(pk=district.pk).values_list("pk", flat=True))
    old = list(Assignment.objects.filter(org_id__in=office_ids, valid_to__isnull=True))
    assert len(old) > 0
    keys = {(a.task_id, a.role) for a in old}

    org_end(org=district, effective=REFORM, successors=communes, actor=demo.admin, reason="Nghị quyết 1656/NQ-UBTVQH15")

    assert not Assignment.objects.filter(org_id__in=office_ids, valid_to__isnull=True).exists()
    for commune in communes:
        got = {(a.task_id, a.role) for a in Assignment.objects.filter(org=commune, valid_from=REFORM)}
        held = {(a.task_id, a.role) for a in Assignment.objects.filter(org=commune).exclude(valid_from=REFORM)}
        assert keys <= got | held
        for a in Assignment.objects.filter(org=commune, valid_from=REFORM):
            assert a.transferred_from.org_id in office_ids


def test_a_retired_task_is_ended_but_not_passed_on(demo):
    bao, merged = _org("qn-bao"), _org("qn-bptth")
    task = _free_task(demo, bao, merged)
    task.retired_on = date(2025, 5, 1)
    task.save()
    a = Assignment.objects.create(task=task, org=bao, role=AssignmentRole.LEAD)
    org_end(org=bao, effective=REFORM, successors=[merged], actor=demo.admin, reason=REASON)
    a.refresh_from_db()
    assert a.valid_to == date(2025, 6, 30)
    assert not Assignment.objects.filter(task=task, org=merged).exists()


def test_an_assignment_already_ended_stays_as_it_was(demo):
    bao, merged = _org("qn-bao"), _org("qn-bptth")
    task = _free_task(demo, bao, merged)
    a = Assignment.objects.create(task=task, org=bao, role=AssignmentRole.LEAD, valid_to=date(2025, 3, 31))
    org_end(org=bao, effective=REFORM, successors=[merged], actor=demo.admin, reason=REASON)
    a.refresh_from_db()
    assert a.valid_to == date(2025, 3, 31)
    assert not Assignment.objects.filter(task=task, org=merged).exists()


def test_passing_on_twice_changes_nothing_the_second_time(demo):
    bao, merged = _org("qn-bao"), _org("qn-bptth")
    org_end(org=bao, effective=REFORM, successors=[merged], actor=demo.admin, reason=REASON)
    before = list(Assignment.objects.order_by("pk").values())
    result = transfer_open_assignments(predecessor=bao, successors=[merged], effective=REFORM, actor=demo.admin)
    assert result.ended == [] and result.created == []
    assert list(Assignment.objects.order_by("pk").values()) == before


def test_the_apps_above_hear_once_per_plan_not_once_per_row(demo):
    heard = []

    def receiver(sender, plan, actor, **kwargs):
        heard.append((plan.code, actor))

    plan_changed.connect(receiver, dispatch_uid="test-lifecycle")
    try:
        org_end(org=demo.sontinh, effective=REFORM, successors=[s.successor for s in demo.sontinh.successions.all()],
                actor=demo.admin, reason=REASON)
    finally:
        plan_changed.disconnect(dispatch_uid="test-lifecycle")
    # One per plan per ended office holding its tasks, never one per assignment.
    assert heard and all(code == demo.district_plan.code and actor == demo.admin for code, actor in heard)
    assert len(heard) <= 7


def test_a_refused_reorganisation_moves_no_assignment(demo):
    bao = _org("qn-bao")
    before = list(Assignment.objects.filter(org=bao).values())
    with pytest.raises(ValidationError):
        org_end(org=bao, effective=REFORM, successors=[demo.sontinh], actor=demo.admin, reason=REASON)
    assert list(Assignment.objects.filter(org=bao).values()) == before


def test_successions_recorded_before_these_rules_can_be_applied_afterwards(demo):
    bao = _org("qn-bao")
    assert _open(bao).exists()  # the loader recorded the merge before any plan existed
    pass_on_recorded_successions(actor=demo.admin)
    assert not _open(bao).exists()
    assert not Assignment.objects.filter(org__path__startswith=demo.sontinh.path, valid_to__isnull=True).exists()
    assert Assignment.objects.filter(org__in=[s.successor for s in demo.sontinh.successions.all()], valid_from=REFORM).exists()


def test_the_command_passes_on_the_demo_reforms_open_assignments_once(demo, capsys):
    from django.core.management import call_command

    from planwatch.plans.models import Assignment

    sontinh_offices = list(demo.sontinh.subtree().exclude(pk=demo.sontinh.pk).values_list("pk", flat=True))
    open_before = Assignment.objects.filter(org_id__in=sontinh_offices, valid_to__isnull=True).count()
    assert open_before > 0
    call_command("pass_on_successions", "--actor", "admin")
    first = capsys.readouterr().out
    assert "giao nhiệm vụ của đơn vị cũ" in first
    assert Assignment.objects.filter(org_id__in=sontinh_offices, valid_to__isnull=True).count() == 0
    call_command("pass_on_successions", "--actor", "admin")
    assert "Đã kết thúc 0 giao nhiệm vụ" in capsys.readouterr().out


def test_a_task_the_ended_unit_reported_done_is_not_owed_again_by_its_successor(demo):
    """Báo Quảng Ngãi finished a task before the merger: from the merger the task is the
    merged unit's, and the dashboards show it done, not overdue."""
    from datetime import timedelta

    from planwatch.monitoring.models import TaskState
    from planwatch.monitoring.tests.rollup_check import assert_rollups_match_rebuild
    from planwatch.orgs.models import Organisation
    from planwatch.orgs.services import org_end
    from planwatch.plans.models import Assignment
    from planwatch.reporting.models import ReportStatus, TaskProgress, UnitReport
    from planwatch.reporting.services import report_accept

    old = Organisation.objects.create(code="test-old", name="Đơn vị cũ", kind="agency", parent=demo.province)
    new = Organisation.objects.create(code="test-new", name="Đơn vị mới", kind="agency", parent=demo.province)
    task = demo.plan.tasks.filter(deadline_due__isnull=False).order_by("deadline_due").first()
    Assignment.objects.create(task=task, org=old, role="lead")
    period = demo.plan.periods.filter(end__lt=task.deadline_due).order_by("-end").first() or demo.plan.periods.order_by("end").first()
    report = UnitReport.objects.create(period=period, org=old, status=ReportStatus.SUBMITTED)
    TaskProgress.objects.create(report=report, task=task, status="done", completed_on=period.end - timedelta(days=1))
    report_accept(report=report, by=demo.supervisor)

    org_end(org=old, effective=period.end + timedelta(days=1), successors=[new], actor=demo.admin, reason="Hợp nhất")

    inherited = TaskState.objects.get(task=task, org=new)
    assert (inherited.progress, inherited.completed_on) == ("done", period.end - timedelta(days=1))
    assert_rollups_match_rebuild()
    # Deleting the predecessor's assignment takes the inherited line away too.
    Assignment.objects.get(task=task, org=old).delete()
    assert TaskState.objects.get(task=task, org=new).progress == ""
    assert_rollups_match_rebuild()


def test_an_old_file_cannot_hand_a_task_back_to_a_unit_that_has_ended(demo):
    """After a merger the tasks are the successor's; re-importing the plan as it was before
    is refused with a message naming the task and the unit, and nothing changes."""
    from datetime import date

    from planwatch.orgs.models import Organisation
    from planwatch.orgs.services import org_end
    from planwatch.plans.interchange import InterchangeError, export_plan
    from planwatch.plans.models import Assignment
    from planwatch.plans.services import plan_apply_amendment

    old = Organisation.objects.create(code="test-old2", name="Đơn vị cũ hai", kind="agency", parent=demo.province)
    task = demo.plan.tasks.order_by("position").first()
    Assignment.objects.create(task=task, org=old, role="lead")
    before_merger = export_plan(demo.plan)
    org_end(org=old, effective=date(2026, 7, 1), successors=[demo.skhcn], actor=demo.admin, reason="Hợp nhất")
    with pytest.raises(InterchangeError, match="Đơn vị cũ hai.*đã kết thúc hoạt động từ 30/06/2026"):
        plan_apply_amendment(data=before_merger, effective=date(2026, 8, 1), actor=demo.supervisor, reason="Nhập lại bản cũ")
    assert Assignment.objects.get(task=task, org=old).valid_to == date(2026, 6, 30)
