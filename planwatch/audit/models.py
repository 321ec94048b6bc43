"""The historical tables. Models of other apps are registered here (not in their own
models.py), so every historical table and migration belongs to this app.

To track another model, add it to TRACKED (and run makemigrations audit)."""

from __future__ import annotations

import simple_history
from django.apps import apps

from .records import AuditedRecords

# (app label, model name, options). Derived columns (search keys, the org path) are not
# tracked: they follow from the tracked ones. Roll-up tables (monitoring) are not tracked.
TRACKED: list[tuple[str, str, dict]] = [
    ("plans", "SourceDocument", {}),
    ("plans", "Plan", {}),
    ("plans", "Indicator", {"excluded_fields": ["search_key"], "m2m_fields": ["responsible"]}),
    ("plans", "IndicatorTarget", {}),
    ("plans", "TaskGroup", {}),
    ("plans", "Task", {"excluded_fields": ["search_key"]}),
    ("plans", "Assignment", {}),
    ("plans", "PlanAmendment", {}),
    ("plans", "TaskTerm", {}),
    ("orgs", "Organisation", {"excluded_fields": ["search_key", "path", "depth"]}),
    ("orgs", "OrgAlias", {}),
    ("orgs", "OrgSuccession", {}),
    ("orgs", "Membership", {}),
    ("reporting", "ReportingPeriod", {}),
    ("reporting", "UnitReport", {}),
    ("reporting", "TaskProgress", {}),
    ("reporting", "IndicatorValue", {}),
]


def _register_all() -> None:
    for app_label, model_name, options in TRACKED:
        model = apps.get_model(app_label, model_name, require_ready=False)
        if hasattr(model._meta, "simple_history_manager_attribute"):
            continue
        simple_history.register(
            model, app="planwatch.audit", records_class=AuditedRecords,
            verbose_name=f"lịch sử {model._meta.verbose_name}",
            verbose_name_plural=f"lịch sử {model._meta.verbose_name_plural}",
            **options,
        )


_register_all()
