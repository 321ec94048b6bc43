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
