"""/healthz answers the load balancer without a login: 200 when the database, cache, broker and
disk are fine; 503 naming the check that failed (here: a cache server that does not answer)."""

from planwatch.web.views import health


def test_healthy_without_login(client, db):
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok", "broker": "ok", "disk": "ok"}
    assert "no-cache" in r["Cache-Control"]


def test_a_dead_cache_server_is_named_and_answers_503(client, db, monkeypatch):
    from django_redis.cache import RedisCache

    # A real Redis client pointed at a port where nothing listens.
    dead = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}})
    monkeypatch.setattr(health, "cache", dead)
    r = client.get("/healthz")
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "fail" and body["checks"]["cache"].startswith("lỗi") and body["checks"]["database"] == "ok"


def test_little_disk_left_fails(client, db, monkeypatch):
    monkeypatch.setattr(health, "MIN_FREE_BYTES", 1 << 62)
    r = client.get("/healthz")
    assert r.status_code == 503 and r.json()["checks"]["disk"].startswith("chỉ còn")
