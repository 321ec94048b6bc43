"""Organisations change with effective dates (rename, move, end, merge, split), through
services that need an actor and a reason and leave a record; the tree never breaks."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planwatch.orgs.models import Membership, Organisation, OrgAlias, OrgChange, OrgKind, OrgSuccession
from planwatch.orgs.services import (
    AgencyResolver,
    org_create,
    org_end,
    org_merge,
    org_move,
    org_rename,
    org_split,
    record_succession,
)
from planwatch.orgs.signals import org_ended, org_tree_changed

pytestmark = pytest.mark.django_db

REASON = "Quyết định 99/QĐ-UBND ngày 20/11/2026"


@pytest.fixture
def tree_signals():
    sent = []

    def receiver(sender, org_ids, **kwargs):
        sent.append(sorted(org_ids))

    org_tree_changed.connect(receiver, dispatch_uid="test-tree")
    yield sent
    org_tree_changed.disconnect(dispatch_uid="test-tree")


def _group(demo, name="Khối huyện cũ"):
    return org_create(
        org=Organisation(code="qn-khoi", name=name, kind=OrgKind.GROUP, parent=demo.province),
        effective=date(2024, 1, 1), actor=demo.admin, reason=REASON,
    )


def _offices(org):
    return list(Organisation.objects.filter(parent=org).order_by("pk"))


# --- 1. the tree stays whole --------------------------------------------------------------


def test_a_unit_moved_by_a_plain_save_keeps_its_whole_subtree(demo):
    group = _group(demo)
    offices = _offices(demo.sontinh)
    assert len(offices) == 7
    demo.sontinh.parent = group
    demo.sontinh.save()

    assert demo.sontinh.path == f"{group.path}{demo.sontinh.pk}/"
    for office in offices:
        office.refresh_from_db()
        assert office.path == f"{demo.sontinh.path}{office.pk}/"
        assert office.depth == 3
    # Access scopes, roll-ups and consolidation read subtree(): nobody falls out.
    assert set(group.subtree().values_list("pk", flat=True)) >= {o.pk for o in offices}
    assert demo.province.subtree().filter(pk__in=[o.pk for o in offices]).count() == 7
    assert group.contains(offices[0]) and demo.province.contains(offices[0])


def test_moving_a_unit_back_restores_the_paths_of_its_subtree(demo):
    before = dict(Organisation.objects.values_list("pk", "path"))
    group = _group(demo)
    org_move(org=demo.sontinh, new_parent=group, effective=date(2026, 1, 1), actor=demo.admin, reason=REASON)
    org_move(org=demo.sontinh, new_parent=demo.province, effective=date(2026, 2, 1), actor=demo.admin, reason=REASON)
    after = dict(Organisation.objects.exclude(pk=group.pk).values_list("pk", "path"))
    assert after == before


def test_moving_a_unit_under_its_own_descendant_is_refused_in_vietnamese(demo):
    office = _offices(demo.sontinh)[0]
    before = dict(Organisation.objects.values_list("pk", "path"))
    with pytest.raises(ValidationError) as e:
        org_move(org=demo.sontinh, new_parent=office, effective=date(2025, 1, 1), actor=demo.admin, reason=REASON)
    assert "cấp dưới" in str(e.value.message_dict["parent"])
    demo.sontinh.refresh_from_db()
    demo.sontinh.parent = office
    with pytest.raises(ValidationError):
        demo.sontinh.save()  # the plain save refuses it too
    demo.sontinh.parent = demo.sontinh
    with pytest.raises(ValidationError):
        demo.sontinh.save()
    assert dict(Organisation.objects.values_list("pk", "path")) == before
    assert not OrgChange.objects.filter(org=demo.sontinh).exists()


def test_a_move_tells_the_apps_above_which_units_changed_place(demo, tree_signals):
    group = _group(demo)
    tree_signals.clear()
    org_move(org=demo.sontinh, new_parent=group, effective=date(2026, 1, 1), actor=demo.admin, reason=REASON)
    assert tree_signals == [sorted(demo.sontinh.subtree().values_list("pk", flat=True))]
    assert len(tree_signals[0]) == 8


def test_a_change_of_validity_is_signalled_but_a_rename_is_not(demo, tree_signals):
    org_rename(org=demo.syt, name="Sở Y tế tỉnh Quảng Ngãi", effective=date(2026, 1, 1), actor=demo.admin, reason=REASON)
    assert tree_signals == []
    demo.syt.refresh_from_db()
    demo.syt.valid_from = date(2020, 1, 1)
    demo.syt.save()
    assert tree_signals == [[demo.syt.pk]]


# --- 2. services with an effective date, an actor, a reason and a record --------------------


def test_a_renamed_unit_still_resolves_under_its_old_name(demo):
    old = demo.syt.name
    org_rename(
        org=demo.syt, name="Sở Y tế và An sinh", short_name="Sở YT&AS", effective=date(2026, 1, 1),
        actor=demo.admin, reason=REASON,
    )
    demo.syt.refresh_from_db()
    assert demo.syt.name == "Sở Y tế và An sinh"
    assert OrgAlias.objects.filter(org=demo.syt, alias=old, source__contains="31/12/2025").exists()
    resolver = AgencyResolver(demo.province)
    assert resolver.resolve_name(old).orgs == [demo.syt]
    assert resolver.resolve_name("Sở Y tế và An sinh").orgs == [demo.syt]
    change = OrgChange.objects.get(org=demo.syt)
    assert (change.kind, change.effective, change.actor, change.reason) == ("rename", date(2026, 1, 1), demo.admin, REASON)
    assert change.before["name"] == old and change.after["name"] == "Sở Y tế và An sinh"


@pytest.mark.parametrize("actor, reason, field", [(None, REASON, "actor"), ("admin", "", "reason"), ("admin", "  ", "reason")])
def test_a_reorganisation_needs_an_actor_and_a_reason(demo, actor, reason, field):
    actor = demo.admin if actor == "admin" else actor
    with pytest.raises(ValidationError) as e:
        org_end(org=demo.syt, effective=date(2026, 1, 1), actor=actor, reason=reason)
    assert field in e.value.message_dict
    demo.syt.refresh_from_db()
    assert demo.syt.valid_to is None
    assert not OrgChange.objects.exists()


def test_ending_a_unit_stores_its_last_day_the_day_before_the_effective_date(demo):
    member = Membership.objects.filter(org=demo.thientin).first()
    org_end(org=demo.thientin, effective=date(2027, 1, 1), successors=[demo.province], actor=demo.admin, reason=REASON)
    demo.thientin.refresh_from_db()
    assert demo.thientin.valid_to == date(2026, 12, 31)
    assert demo.thientin.is_active(date(2026, 12, 31)) and not demo.thientin.is_active(date(2027, 1, 1))
    s = OrgSuccession.objects.get(predecessor=demo.thientin)
    assert (s.successor, s.effective, s.source) == (demo.province, date(2027, 1, 1), REASON)
    # Memberships are kept: reports made by its officers stay attributable.
    assert member is None or Membership.objects.filter(pk=member.pk).exists()
    assert OrgChange.objects.get(org=demo.thientin).kind == "end"


def test_ending_a_unit_ends_its_still_active_descendants_and_signals_each(demo):
    group = _group(demo)
    dept = org_create(
        org=Organisation(code="qn-khoi-a", name="Phòng A", kind=OrgKind.AGENCY, parent=group),
        effective=date(2024, 1, 1), actor=demo.admin, reason=REASON,
    )
    ended = []
    org_ended.connect(lambda sender, org, **kw: ended.append((org, kw["successors"], kw["effective"])), weak=False, dispatch_uid="t")
    try:
        org_end(org=group, effective=date(2026, 7, 1), successors=[demo.syt], actor=demo.admin, reason=REASON)
    finally:
        org_ended.disconnect(dispatch_uid="t")
    dept.refresh_from_db()
    assert dept.valid_to == date(2026, 6, 30)
    assert ended == [(group, [demo.syt], date(2026, 7, 1)), (dept, [demo.syt], date(2026, 7, 1))]


def test_a_unit_cannot_end_twice_or_pass_to_a_unit_that_does_not_exist_then(demo):
    with pytest.raises(ValidationError) as e:
        org_end(org=demo.sontinh, effective=date(2026, 1, 1), actor=demo.admin, reason=REASON)
    assert "đã kết thúc hoạt động từ 30/06/2025" in str(e.value)
    bao = Organisation.objects.get(code="qn-bao")
    with pytest.raises(ValidationError) as e:
        org_end(org=demo.syt, effective=date(2026, 1, 1), successors=[bao], actor=demo.admin, reason=REASON)
    assert "không hoạt động vào ngày 01/01/2026" in str(e.value.message_dict["successors"])
    demo.syt.refresh_from_db()
    assert demo.syt.valid_to is None


def test_ending_again_on_the_recorded_day_is_allowed_and_changes_no_date(demo):
    ended = org_end(org=demo.sontinh, effective=date(2025, 7, 1), actor=demo.admin, reason=REASON)
    demo.sontinh.refresh_from_db()
    assert demo.sontinh.valid_to == date(2025, 6, 30)
    assert len(ended) == 8  # the district and its seven offices, ended with it


def test_two_units_merge_into_a_new_one(demo):
    a = Organisation.objects.get(code="qn-stc")
    b = demo.syt
    new = org_merge(
        orgs=[a, b], into=Organisation(code="qn-new", name="Sở Tài chính và Y tế", kind=OrgKind.DEPARTMENT),
        effective=date(2026, 3, 1), actor=demo.admin, reason=REASON,
    )
    assert new.pk and new.parent == demo.province and new.valid_from == date(2026, 3, 1)
    for o in (a, b):
        o.refresh_from_db()
        assert o.valid_to == date(2026, 2, 28)
        assert list(o.successions.values_list("successor", flat=True)) == [new.pk]
    assert OrgChange.objects.get(org=a).kind == "merge"
    assert list(OrgChange.objects.get(org=a).related.all()) == [new]
    assert OrgChange.objects.get(org=new).kind == "create"


def test_a_unit_cannot_merge_into_itself(demo):
    with pytest.raises(ValidationError):
        org_merge(orgs=[demo.syt], into=demo.syt, effective=date(2026, 3, 1), actor=demo.admin, reason=REASON)


def test_a_unit_splits_into_two_new_ones_under_its_parent(demo):
    parts = org_split(
        org=demo.syt,
        into=[Organisation(code="qn-syt-a", name="Sở Y tế A", kind=OrgKind.DEPARTMENT),
              Organisation(code="qn-syt-b", name="Sở Y tế B", kind=OrgKind.DEPARTMENT)],
        effective=date(2028, 2, 29), actor=demo.admin, reason=REASON,
    )
    demo.syt.refresh_from_db()
    assert demo.syt.valid_to == date(2028, 2, 28)
    assert [p.parent for p in parts] == [demo.province, demo.province]
    assert set(demo.syt.successions.values_list("successor__code", flat=True)) == {"qn-syt-a", "qn-syt-b"}
    with pytest.raises(ValidationError):
        org_split(org=demo.skhcn, into=[demo.syt], effective=date(2028, 3, 1), actor=demo.admin, reason=REASON)


def test_record_succession_goes_through_org_end(demo):
    record_succession(demo.syt, [demo.skhcn], effective=date(2026, 1, 1), source="Nghị quyết 1/NQ-HĐND", actor=demo.admin)
    change = OrgChange.objects.get(org=demo.syt)
    assert (change.kind, change.reason, change.actor) == ("end", "Nghị quyết 1/NQ-HĐND", demo.admin)
    demo.syt.refresh_from_db()
    assert demo.syt.valid_to == date(2025, 12, 31)


def test_services_leave_the_reason_for_the_history_library(demo, monkeypatch):
    seen = []
    original = Organisation.save

    def spy(self, *a, **kw):
        seen.append(getattr(self, "_change_reason", None))
        return original(self, *a, **kw)

    monkeypatch.setattr(Organisation, "save", spy)
    org_rename(org=demo.syt, name="Sở Y tế mới", effective=date(2026, 1, 1), actor=demo.admin, reason=REASON)
    assert seen == [REASON]


# --- 4. the admin goes through the services -------------------------------------------------


def _admin_post(client, org, **changes):
    data = {
        "code": org.code, "name": org.name, "short_name": org.short_name, "kind": org.kind,
        "parent": org.parent_id or "", "admin_code": org.admin_code,
        "valid_from": org.valid_from.isoformat() if org.valid_from else "",
        "valid_to": org.valid_to.isoformat() if org.valid_to else "",
        "email": org.email, "note": org.note, "effective": "", "change_reason": REASON,
        "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return client.post(f"/admin/orgs/organisation/{org.pk}/change/", data)


def test_changing_the_parent_in_the_admin_moves_the_subtree_and_records_who_and_why(client, demo):
    client.force_login(demo.admin)
    group = _group(demo)
    resp = _admin_post(client, demo.sontinh, parent=str(group.pk), effective="2026-01-01")
    assert resp.status_code == 302, resp.content.decode()[:3000]
    office = _offices(demo.sontinh)[0]
    assert office.path.startswith(group.path)
    change = OrgChange.objects.get(org=demo.sontinh)
    assert (change.kind, change.actor, change.reason, change.effective) == ("move", demo.admin, REASON, date(2026, 1, 1))


def test_the_admin_refuses_a_change_without_a_reason_or_a_cycle_with_a_message(client, demo):
    client.force_login(demo.admin)
    name = demo.syt.name
    resp = _admin_post(client, demo.syt, name="Tên khác", change_reason="")
    assert resp.status_code == 200 and "Lý do thay đổi" in resp.content.decode()
    office = _offices(demo.sontinh)[0]
    resp = _admin_post(client, demo.sontinh, parent=str(office.pk))
    assert resp.status_code == 200
    assert "cấp dưới" in resp.content.decode()
    demo.syt.refresh_from_db()
    demo.sontinh.refresh_from_db()
    assert demo.syt.name == name
    assert demo.sontinh.parent == demo.province
    assert not OrgChange.objects.exists()


def test_setting_an_end_date_in_the_admin_ends_the_unit_through_the_service(client, demo):
    client.force_login(demo.admin)
    resp = _admin_post(client, demo.syt, valid_to="2026-12-31", name="Sở Y tế (cũ)")
    assert resp.status_code == 302
    kinds = set(OrgChange.objects.filter(org=demo.syt).values_list("kind", flat=True))
    assert kinds == {"rename", "end"}
    demo.syt.refresh_from_db()
    assert demo.syt.valid_to == date(2026, 12, 31)


def test_adding_a_succession_in_the_admin_ends_the_old_unit(client, demo):
    client.force_login(demo.admin)
    resp = client.post("/admin/orgs/orgsuccession/add/", {
        "predecessor": demo.syt.pk, "successor": demo.skhcn.pk, "effective": "2027-01-01", "detail": "",
        "change_reason": REASON,
    })
    assert resp.status_code == 302, resp.content.decode()[:3000]
    demo.syt.refresh_from_db()
    assert demo.syt.valid_to == date(2026, 12, 31)
    assert OrgChange.objects.get(org=demo.syt).actor == demo.admin


def test_ordinary_mistakes_in_the_admin_are_form_errors_and_change_nothing(client, demo):
    """Each of these reached a service's refusal inside save_model (HTTP 500) before."""
    client.force_login(demo.admin)
    ended = demo.sontinh  # ended 30/06/2025 by the reform
    # An ended unit's last day moved later.
    resp = _admin_post(client, ended, valid_to="2025-12-31")
    assert resp.status_code == 200 and "đã kết thúc hoạt động từ 30/06/2025" in resp.content.decode()
    # Reopened although its tasks ended with it.
    office = _offices(ended)[0]
    from planwatch.plans.models import Assignment

    task = demo.district_plan.tasks.first()
    Assignment.objects.update_or_create(task=task, org=office, role="lead", defaults={"valid_to": office.valid_to})
    resp = _admin_post(client, office, valid_to="")
    assert resp.status_code == 200 and "Không mở lại được" in resp.content.decode()
    # A new unit under a parent that no longer exists.
    resp = client.post("/admin/orgs/organisation/add/", {
        "code": "moi", "name": "Phòng mới", "kind": "district_office", "parent": ended.pk, "valid_from": "2026-01-01",
        "change_reason": REASON, "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000",
    })
    assert resp.status_code == 200 and "không hoạt động vào ngày 01/01/2026" in resp.content.decode()
    # A succession dated before the old unit began.
    late = Organisation.objects.create(code="late", name="Đơn vị lập sau", kind="agency", parent=demo.province,
                                       valid_from=date(2026, 6, 1))
    resp = client.post("/admin/orgs/orgsuccession/add/", {
        "predecessor": late.pk, "successor": demo.skhcn.pk, "effective": "2026-01-01", "detail": "", "change_reason": REASON,
    })
    assert resp.status_code == 200 and "chỉ bắt đầu hoạt động từ 01/06/2026" in resp.content.decode()
    ended.refresh_from_db()
    assert ended.valid_to == date(2025, 6, 30)
    assert not Organisation.objects.filter(code="moi").exists()
    assert not OrgChange.objects.exists()


# --- the tree stays whole under any sequence of moves ---------------------------------------

N_UNITS = 7


def _units(province):
    """A small private tree under the province (created once per test transaction)."""
    out = []
    for i in range(N_UNITS):
        org = Organisation.objects.filter(code=f"prop-{i}").first()
        if org is None:
            org = Organisation(code=f"prop-{i}", name=f"Đơn vị thử {i}", kind=OrgKind.AGENCY, parent=province)
            org.save()
        out.append(org)
    return out


def _assert_tree_whole(province):
    orgs = {o.pk: o for o in Organisation.objects.all()}
    for o in orgs.values():
        chain, cur, seen = [], o, set()
        while cur is not None:
            assert cur.pk not in seen, "cycle in the tree"
            seen.add(cur.pk)
            chain.append(cur.pk)
            cur = orgs.get(cur.parent_id)
        expected = "/" + "".join(f"{pk}/" for pk in reversed(chain))
        assert (o.path, o.depth) == (expected, len(chain) - 1), o.code
    for o in orgs.values():
        if o.code.startswith("prop-"):
            assert province.subtree().filter(pk=o.pk).exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.tuples(st.integers(0, N_UNITS - 1), st.integers(-1, N_UNITS - 1)), max_size=10))
def test_any_sequence_of_moves_keeps_every_path_true_and_refuses_cycles(demo, moves):
    units = _units(demo.province)
    for child, parent in moves:
        org = Organisation.objects.get(pk=units[child].pk)
        new_parent = demo.province if parent < 0 else Organisation.objects.get(pk=units[parent].pk)
        creates_cycle = new_parent.path.startswith(org.path)
        if new_parent.pk == org.parent_id:
            continue
        try:
            org_move(org=org, new_parent=new_parent, effective=date(2026, 1, 1), actor=demo.admin, reason=REASON)
        except ValidationError:
            assert creates_cycle
        else:
            assert not creates_cycle
    _assert_tree_whole(demo.province)
