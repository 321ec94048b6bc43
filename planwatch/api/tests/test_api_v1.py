import base64

import pytest

pytestmark = pytest.mark.django_db


def _basic(user, password="planwatch2025"):
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_the_api_needs_credentials(client, demo):
    assert client.get("/api/v1/plans").status_code == 401


def test_it_lists_the_plans(client, demo):
    r = client.get("/api/v1/plans", **_basic("canbo.thientin"))
    rows = {p["code"]: p for p in r.json()}
    assert rows["qn-327-2025"]["tasks"] == 23 and rows["qn-327-2025"]["indicators"] == 64
    assert rows["sontinh-kh-2025"]["parent"] == "qn-327-2025"


def test_a_plan_comes_in_the_interchange_format(client, demo):
    r = client.get("/api/v1/plans/qn-327-2025", **_basic("lanhdao.tinh"))
    assert r.json()["format"] == "planwatch-plan" and len(r.json()["tasks"]) == 23
    assert client.get("/api/v1/plans/khong-co", **_basic("lanhdao.tinh")).status_code == 404


def test_an_organisation_shows_its_history(client, demo):
    r = client.get("/api/v1/orgs/qn-sontinh", **_basic("lanhdao.tinh")).json()
    assert r["valid_to"] == "2025-06-30" and len(r["successors"]) == 4


def test_the_openapi_document_is_served(client, demo):
    client.force_login(demo.leader)
    assert "/api/v1/plans" in client.get("/api/v1/openapi.json").content.decode()


def test_a_plan_amendment_goes_through_diff_then_import(client, demo):
    import json

    from planwatch.plans.interchange import export_plan
    from planwatch.plans.models import PlanAmendment, Task

    data = export_plan(demo.plan)
    data["tasks"] = [t for t in data["tasks"] if t["code"] != "1"]
    body = json.dumps(data)
    auth = _basic("thuongtruc.skhcn")
    diff = client.post("/api/v1/plans/diff", body, content_type="application/json", **auth).json()
    assert [(r["code"], r["action"]) for r in diff["rows"]] == [("1", "retired")]
    r = client.post(f"/api/v1/plans/import?effective=2026-03-01&reason=r%C3%A0+so%C3%A1t", body,
                    content_type="application/json", **auth)
    assert r.status_code == 400 and "fingerprint" in r.json()["detail"]
    r = client.post(f"/api/v1/plans/import?effective=2026-03-01&reason=ra+soat&fingerprint={diff['fingerprint']}",
                    body, content_type="application/json", **auth)
    assert r.status_code == 200, r.content
    assert Task.objects.get(plan=demo.plan, code="1").retired_on.isoformat() == "2026-03-01"
    assert PlanAmendment.objects.get(pk=r.json()["amendment"]).applied_by.username == "thuongtruc.skhcn"


def test_a_malformed_plan_gives_a_400_naming_the_field(client, demo):
    import json

    from planwatch.plans.interchange import export_plan

    data = export_plan(demo.plan)
    data["plan"]["code"] = "qn-moi"
    data["tasks"][3]["deadline"] = {"kind": "month", "due": 5}
    r = client.post("/api/v1/plans/import", json.dumps(data), content_type="application/json", **_basic("thuongtruc.skhcn"))
    assert r.status_code == 400 and "deadline.due" in r.json()["detail"]
    r = client.post("/api/v1/plans/diff", "[" * 100000, content_type="application/json", **_basic("thuongtruc.skhcn"))
    assert r.status_code == 400 and "lồng nhau" in r.json()["detail"]


def test_a_reporter_cannot_import_through_the_api(client, demo):
    r = client.post("/api/v1/plans/import", "{}", content_type="application/json", **_basic("canbo.thientin"))
    assert r.status_code == 404
