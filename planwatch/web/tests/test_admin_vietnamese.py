"""The admin speaks Vietnamese: every table and column of the project's apps has a Vietnamese
name, every row a Vietnamese title (no "TaskProgress object (1)"), and the admin pages of the
reporting tables show them."""

import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from planwatch.lib.english import looks_english

PROJECT_APPS = {"orgs", "plans", "reporting", "monitoring", "documents", "audit", "notifications", "api", "web"}


def _default_name(model) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()


def _models():
    for m in apps.get_models():
        if m._meta.app_label not in PROJECT_APPS:
            continue
        if m.__name__.endswith("_responsible"):  # simple-history's m2m rows (not in the admin)
            continue
        yield m


def test_every_table_and_column_has_a_vietnamese_name():
    problems = []
    for m in _models():
        if m._meta.verbose_name in (_default_name(m), m._meta.model_name):
            problems.append(f"{m.__name__}: table name")
        for f in m._meta.get_fields():
            if f.auto_created or not getattr(f, "concrete", False):
                continue
            if f.verbose_name == f.name.replace("_", " ") or looks_english(str(f.verbose_name)):
                problems.append(f"{m.__name__}.{f.name}: {f.verbose_name!r}")
    assert problems == []


def test_every_row_has_its_own_title():
    missing = [m.__name__ for m in _models() if m.__str__ is models.Model.__str__ and not m.__name__.startswith("Historical")]
    assert missing == []


@pytest.mark.parametrize("model_name", ["unitreport", "taskprogress", "reportevent", "evidence", "reportingperiod"])
def test_the_admin_lists_reporting_rows_in_vietnamese(client, demo, model_name):
    client.force_login(demo.admin)
    html = client.get(reverse(f"admin:reporting_{model_name}_changelist")).content.decode()
    assert " object (" not in html
    for english in ("Submitted at", "Accepted at", "Period", ">Report<", ">Task<", "Created at"):
        assert english not in html


def test_the_admin_index_is_titled_in_vietnamese(client, demo):
    client.force_login(demo.admin)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Quản trị hệ thống" in html and "Site administration" not in html
