"""Shared fixtures. The real Quảng Ngãi demo (org tree, the three plans, demo accounts,
reports) is loaded once per test session into the test database; each test runs in a
transaction rolled back afterwards. Browser tests (transactional) reload it if a previous
transactional test flushed it."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

SHARED = Path(__file__).resolve().parent.parent / "shared"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


# The suite never reads the real calendar: the whole session runs at a fixed "today" (the
# clock ticks from there) and the demo history is built for that day. CI runs the suite at
# other fixed days too (year end, quarter end late in the evening, 29/02) by setting
# PLANWATCH_TEST_NOW to an ISO datetime; local time is Asia/Ho_Chi_Minh when no offset is given.
DEFAULT_TEST_NOW = "2026-11-20T10:00:00"
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_now() -> datetime:
    value = datetime.fromisoformat(os.environ.get("PLANWATCH_TEST_NOW") or DEFAULT_TEST_NOW)
    return value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)


test_now.__test__ = False  # not a test, despite its name
_session_clock = None


def pytest_configure(config):
    global _session_clock
    _session_clock = time_machine.travel(test_now(), tick=True)
    _session_clock.start()


def pytest_unconfigure(config):
    if _session_clock is not None:
        _session_clock.stop()


def pytest_report_header(config):
    return f"planwatch: the session's clock starts at {test_now().isoformat()} (PLANWATCH_TEST_NOW)"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from planwatch.web.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()


def _demo():
    from django.contrib.auth import get_user_model

    from planwatch.orgs.models import Organisation
    from planwatch.plans.models import Plan

    User = get_user_model()
    users = {u.username: u for u in User.objects.all()}
    return SimpleNamespace(
        province=Organisation.objects.get(code="qn"),
        skhcn=Organisation.objects.get(code="qn-skhcn"),
        syt=Organisation.objects.get(code="qn-syt"),
        thientin=Organisation.objects.get(name="Xã Thiện Tín"),
        sontinh=Organisation.objects.get(code="qn-sontinh"),
        plan=Plan.objects.get(code="qn-327-2025"),
        district_plan=Plan.objects.get(code="sontinh-kh-2025"),
        commune_plan=Plan.objects.get(code="thientin-kh-2025"),
        reporter=users["canbo.thientin"],
        approver=users["chutich.thientin"],
        dept_reporter=users["canbo.skhcn"],
        dept_approver=users["giamdoc.skhcn"],
        supervisor=users["thuongtruc.skhcn"],
        leader=users["lanhdao.tinh"],
        other_dept_reporter=users["canbo.syt"],
        admin=users["admin"],
        password="planwatch2025",
    )


@pytest.fixture
def demo(db):
    return _demo()


@pytest.fixture
def live_demo(transactional_db, live_server):
    """The demo in a live server's database (reloaded if a transactional test flushed it)."""
    from planwatch.plans.models import Plan
    from planwatch.web.demo import load_demo

    if not Plan.objects.filter(code="qn-327-2025").exists():
        load_demo()
    ns = _demo()
    ns.url = live_server.url
    return ns


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run ./test, which installs it")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the ORM calls the
    # tests make between browser steps are still synchronous, so Django's guard is lifted.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    pg.set_default_timeout(15000)
    yield pg
    ctx.close()


def login(page, base_url: str, username: str, password: str = "planwatch2025") -> None:
    page.goto(f"{base_url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda u: "/dang-nhap/" not in u)


@pytest.fixture
def shared_dir():
    if not (SHARED / "seed-data").is_dir():
        pytest.skip("../shared/seed-data is not present here")
    return SHARED
