"""The demo: the real Quảng Ngãi organisation tree and plans, demo accounts for each role
and (where the reporting app provides it) the seed progress report plus a clearly
labelled sample history, then the monitoring roll-ups. Idempotent."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from planwatch.audit.records import history_paused
from planwatch.monitoring.services import rebuild_rollups
from planwatch.orgs.loaders import load_quangngai
from planwatch.orgs.models import Organisation, Role
from planwatch.orgs.services import grant
from planwatch.plans import seed
from planwatch.plans.interchange import import_plan
from planwatch.plans.models import Plan
from planwatch.plans.signals import batch_writes

DEMO_PASSWORD = "planwatch2025"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    org_code: str | None
    org_name: str | None
    role: str
    scope_code: str | None = None


DEMO_ACCOUNTS = [
    DemoAccount("canbo.thientin", "Nguyễn Thị Lan", None, "Xã Thiện Tín", Role.REPORTER),
    DemoAccount("chutich.thientin", "Trần Văn Hùng", None, "Xã Thiện Tín", Role.APPROVER),
    DemoAccount("canbo.skhcn", "Lê Minh Tuấn", "qn-skhcn", None, Role.REPORTER),
    DemoAccount("giamdoc.skhcn", "Phạm Quốc Bảo", "qn-skhcn", None, Role.APPROVER),
    DemoAccount("thuongtruc.skhcn", "Võ Thị Hạnh", "qn-skhcn", None, Role.SUPERVISOR, "qn"),
    DemoAccount("lanhdao.tinh", "Đặng Văn Minh", "qn-ubnd", None, Role.LEADER, "qn"),
    DemoAccount("canbo.syt", "Huỳnh Thị Mai", "qn-syt", None, Role.REPORTER),
    DemoAccount("admin", "Quản trị hệ thống", "qn", None, Role.ADMIN, "qn"),
]


def _org(code: str | None, name: str | None) -> Organisation:
    return Organisation.objects.get(code=code) if code else Organisation.objects.get(name=name)


@transaction.atomic
def create_demo_accounts() -> list[DemoAccount]:
    User = get_user_model()
    for a in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(username=a.username)
        parts = a.full_name.split(" ")
        user.last_name, user.first_name = " ".join(parts[:-1]), parts[-1]
        user.email = f"{a.username}@demo.planwatch.local"
        user.is_staff = user.is_superuser = a.role == Role.ADMIN
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        org = _org(a.org_code, a.org_name)
        grant(user, org=org, role=a.role, scope=_org(a.scope_code, None) if a.scope_code else org)
    return DEMO_ACCOUNTS


def load_plans() -> list[Plan]:
    """Import the seed plans that are not there yet. A plan already loaded is left as it is:
    a seed never amends (amendments are reviewed diffs with a document, plans.services), so
    running the loader again records nothing."""
    plans = []
    for build in (seed.province_plan_document, seed.district_plan_document, seed.commune_plan_document):
        doc = build()
        existing = Plan.objects.filter(code=doc["plan"]["code"]).first()
        plans.append(existing or import_plan(doc))
    return plans


# The initial load is not a change anyone made: no history rows (and a third of the time).
@history_paused()
def load_demo(*, with_reports: bool = True, stdout=None) -> None:
    def say(msg):
        if stdout:
            stdout.write(msg)

    # One batch: the monitoring receivers skip their per-row work; the roll-ups are rebuilt
    # once at the end.
    with batch_writes():
        say("Nạp cây tổ chức tỉnh Quảng Ngãi…")
        load_quangngai()
        say("Nạp các kế hoạch (327/QĐ-UBND, Sơn Tịnh, Thiện Tín)…")
        load_plans()
        say("Tạo tài khoản minh họa…")
        create_demo_accounts()
        if with_reports:
            try:
                reporting_demo = importlib.import_module("planwatch.reporting.demo")
            except ModuleNotFoundError:
                reporting_demo = None
            if reporting_demo is not None:
                say("Nạp báo cáo tiến độ của Sở KH&CN và lịch sử báo cáo mẫu…")
                reporting_demo.load_demo_reports()
    # Roll-ups now, so that the first dashboard request does not pay for the rebuild.
    say("Tính lại bảng tổng hợp giám sát…")
    rebuild_rollups(stdout=stdout)
