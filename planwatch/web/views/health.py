"""/healthz for the load balancer: the database answers, the cache stores and returns a value,
the broker (when one is configured) accepts a connection, and the data folder has room.
200 with every check "ok", else 503 naming the check that failed. No login, no secrets."""

from __future__ import annotations

import shutil
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

MIN_FREE_BYTES = 512 * 1024 * 1024  # below this, exports and uploads start to fail


def _database() -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
        cur.fetchone()
    return "ok"


def _cache() -> str:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    ok = cache.get(key) == value
    cache.delete(key)
    return "ok" if ok else "không đọc lại được giá trị vừa ghi"


def _broker() -> str:
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if url.startswith("memory://"):
        return "ok"  # embedded default: jobs run in-process, no broker to reach
    from kombu import Connection

    with Connection(url, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def _disk() -> str:
    free = shutil.disk_usage(settings.VAR_DIR).free
    return "ok" if free >= MIN_FREE_BYTES else f"chỉ còn {free // (1024 * 1024)} MB trống"


CHECKS = {"database": _database, "cache": _cache, "broker": _broker, "disk": _disk}


@never_cache
def healthz(request):
    results, started = {}, time.monotonic()
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as e:  # a failed check is the answer, not a 500
            results[name] = f"lỗi: {type(e).__name__}"
    healthy = all(v == "ok" for v in results.values())
    body = {"status": "ok" if healthy else "fail", "checks": results, "ms": round((time.monotonic() - started) * 1000)}
    return JsonResponse(body, status=200 if healthy else 503)
