"""The permission matrix of every write URL beyond the report page itself: autosave, the
workflow actions (gửi / trả lại / tiếp nhận) and evidence deletion, for the commune officer,
the commune head, the province supervisor, the provincial leader and an outsider (Sở Y tế's
officer) against Thiện Tín's own report, a sibling commune's and the parent unit's.

Not visible → 404 (another unit's report is not confirmed to exist); visible but not allowed
→ 403; either way nothing changed: status, version, content, history, evidence (and its file),
notifications. The allowed cells are checked to have done what they say."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planwatch.reporting.models import Evidence, OutboxMessage, ReportStatus, UnitReport
from planwatch.reporting.services import evidence_add, report_open, report_submit
from planwatch.reporting.tests.conftest import form_data

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WHO = ["reporter", "approver", "supervisor", "leader", "other_dept_reporter"]
UNITS = ["own", "sibling", "parent"]
TYPED = "Nội dung do người không có quyền nhập"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def reports(demo, period, sibling):
    """Drafts of Thiện Tín, a sibling commune and the parent (the province), each with an
    evidence file."""
    out = {}
    for key, org in (("own", demo.thientin), ("sibling", sibling), ("parent", demo.thientin.parent)):
        r = report_open(period=period, org=org)
        evidence_add(report=r, by=demo.admin, upload=SimpleUploadedFile("bien-ban.pdf", PDF))
        out[key] = r
    return out


def _submitted(demo, reports):
    for r in reports.values():
        report_submit(report=r, by=demo.admin)
    return reports


def _snapshot(report):
    r = UnitReport.objects.get(pk=report.pk)
    files = [(e.pk, e.file.storage.exists(e.file.name)) for e in Evidence.objects.filter(report=r).order_by("pk")]
    return {
        "state": (r.status, r.version, r.submitted_at, r.submitted_by_id, r.accepted_at, r.general_obstacles),
        "lines": list(r.task_lines.order_by("pk").values_list("status", "result_to_date")),
        "events": list(r.events.order_by("pk").values_list("pk", flat=True)),
        "evidence": files,
        "outbox": OutboxMessage.objects.filter(report=r).count(),
    }


def _expect(who: str, unit: str, allowed_roles: set[str]) -> int | str:
    """What the matrix says: "ok" when allowed, else 404 outside scope, else 403."""
    in_scope = (who in ("reporter", "approver") and unit == "own") or who in ("supervisor", "leader")
    if not in_scope:
        return 404
    return "ok" if who in allowed_roles else 403


def _check(client, demo, reports, who, unit, post, allowed_roles, ok_code, changed):
    report = reports[unit]
    before = _snapshot(report)
    client.force_login(getattr(demo, who))
    r = post(client, report)
    expected = _expect(who, unit, allowed_roles)
    if expected == "ok":
        assert r.status_code == ok_code, r.content.decode()[:500]
        changed(UnitReport.objects.get(pk=report.pk), before)
    else:
        assert r.status_code == expected
        html = r.content.decode()
        assert '<html lang="vi">' in html  # the Vietnamese refusal page
        if expected == 404:
            assert report.org.name not in html[html.index("<main>"):]
        assert _snapshot(report) == before


MATRIX = [(who, unit) for who in WHO for unit in UNITS]


@pytest.mark.parametrize("who,unit", MATRIX)
def test_autosave(client, demo, reports, who, unit):
    def post(c, report):
        return c.post(reverse("report_autosave", args=[report.pk]), form_data(report, general_obstacles=TYPED))

    def changed(r, before):
        assert r.general_obstacles == TYPED and r.version == before["state"][1] + 1

    _check(client, demo, reports, who, unit, post, {"reporter", "approver"}, 200, changed)


@pytest.mark.parametrize("who,unit", MATRIX)
def test_submit(client, demo, reports, who, unit):
    def post(c, report):
        return c.post(reverse("report_action", args=[report.pk, "gui"]))

    def changed(r, before):
        assert r.status == ReportStatus.SUBMITTED and r.submitted_by == demo.approver

    _check(client, demo, reports, who, unit, post, {"approver"}, 302, changed)


@pytest.mark.parametrize("who,unit", MATRIX)
def test_return(client, demo, reports, who, unit):
    _submitted(demo, reports)

    def post(c, report):
        return c.post(reverse("report_action", args=[report.pk, "tra-lai"]), {"comment": "Đề nghị bổ sung minh chứng"})

    def changed(r, before):
        assert r.status == ReportStatus.RETURNED
        assert r.events.filter(action="returned", comment="Đề nghị bổ sung minh chứng", actor=demo.supervisor).exists()

    _check(client, demo, reports, who, unit, post, {"supervisor"}, 302, changed)


@pytest.mark.parametrize("who,unit", MATRIX)
def test_accept(client, demo, reports, who, unit):
    _submitted(demo, reports)

    def post(c, report):
        return c.post(reverse("report_action", args=[report.pk, "tiep-nhan"]))

    def changed(r, before):
        assert r.status == ReportStatus.ACCEPTED and r.accepted_by == demo.supervisor

    _check(client, demo, reports, who, unit, post, {"supervisor"}, 302, changed)


@pytest.mark.parametrize("who,unit", MATRIX)
def test_evidence_delete(client, demo, reports, who, unit):
    def post(c, report):
        return c.post(reverse("evidence_delete", args=[report.evidence.get().pk]))

    def changed(r, before):
        assert not r.evidence.exists()

    _check(client, demo, reports, who, unit, post, {"reporter", "approver"}, 302, changed)


@pytest.mark.parametrize("who", ["reporter", "approver"])
def test_a_sent_report_is_not_changed_by_its_own_unit(client, demo, reports, who):
    """Once sent, the unit's own people can neither save nor remove evidence: 403, nothing changed."""
    _submitted(demo, reports)
    own = reports["own"]
    before = _snapshot(own)
    client.force_login(getattr(demo, who))
    ev = own.evidence.get()
    assert client.post(reverse("report_autosave", args=[own.pk]), form_data(own, general_obstacles=TYPED)).status_code == 403
    assert client.post(reverse("evidence_delete", args=[ev.pk])).status_code == 403
    # The head may press "Gửi" again: refused by the workflow with a message; the officer never may.
    assert client.post(reverse("report_action", args=[own.pk, "gui"])).status_code == (302 if who == "approver" else 403)
    assert _snapshot(own) == before


def test_get_is_not_a_way_in(client, demo, reports):
    client.force_login(demo.supervisor)
    report = reports["own"]
    before = _snapshot(report)
    assert client.get(reverse("report_action", args=[report.pk, "tiep-nhan"])).status_code == 405
    assert client.get(reverse("evidence_delete", args=[report.evidence.get().pk])).status_code == 405
    assert _snapshot(report) == before
