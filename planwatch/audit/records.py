"""How history rows learn who acted and why, and how a bulk load pauses history.

Who: `instance._history_user`, else the user of `acting_as()` (commands, jobs, services run
outside a request), else the signed-in user of the current request (HistoryRequestMiddleware).
Why: `instance._change_reason` (e.g. the amending document, a typed reason), else the reason of
`acting_as()`.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import signals
from simple_history.models import HistoricalRecords
from simple_history.utils import get_change_reason_from_object

from planwatch.lib.acting import _actor, acting_as  # noqa: F401  (acting_as: re-exported)

# The reason on a row that only keeps how an object was before its first recorded change
# (objects loaded while history was paused, or before history existed). Not shown as a change.
BASELINE = "(trạng thái trước khi ghi lịch sử)"

_paused: ContextVar[bool] = ContextVar("audit_paused", default=False)


@contextmanager
def history_paused():
    """No history rows inside: for the initial load of reference data (the demo, fixtures),
    where every row would only say "created by the loader"."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def is_paused() -> bool:
    return _paused.get()


# The history table's own columns, named in Vietnamese for the admin.
HISTORY_LABELS = {
    "history_id": "mã dòng lịch sử",
    "history_date": "thời điểm thay đổi",
    "history_change_reason": "lý do thay đổi",
    "history_type": "loại thay đổi",
    "history_user": "người thay đổi",
}


def _name_history_columns(fields: dict) -> dict:
    for name, label in HISTORY_LABELS.items():
        f = fields.get(name)
        if f is not None and hasattr(f, "verbose_name"):
            f.verbose_name = label
    return fields


class AuditedRecords(HistoricalRecords):
    def get_extra_fields(self, model, fields):
        return _name_history_columns(super().get_extra_fields(model, fields))

    def get_history_user_fields(self):
        return _name_history_columns(super().get_history_user_fields())

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            signals.pre_save.connect(self.keep_baseline, sender=sender, weak=False)

    def _has_history(self, instance) -> bool:
        return getattr(type(instance), self.manager_name).filter(id=instance.pk).exists()

    def _write_baseline(self, sender, pk) -> None:
        before = sender._default_manager.filter(pk=pk).first()
        if before is not None:
            before._audit_baseline = True
            before._change_reason = BASELINE
            super().create_historical_record(before, "+")

    def keep_baseline(self, sender, instance, raw=False, **kwargs):
        """Before the first recorded change of an object that has no history yet, keep how
        it was, so that the change shows its "before"."""
        if raw or _paused.get() or instance._state.adding or instance.pk is None:
            return
        if hasattr(instance, "skip_history_when_saving") or self._has_history(instance):
            return
        self._write_baseline(sender, instance.pk)

    def post_save(self, instance, created, using=None, **kwargs):
        if _paused.get():
            return
        super().post_save(instance, created, using=using, **kwargs)

    def post_delete(self, instance, using=None, **kwargs):
        if _paused.get():
            return
        super().post_delete(instance, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if _paused.get():
            return
        if reverse:
            # organisation.indicators.add/remove/clear(): `instance` is the other side; the
            # change is recorded on each tracked row it touched.
            self._reverse_m2m_changed(instance, action, attr, pk_set)
            return
        if action in ("pre_add", "pre_remove", "pre_clear") and not self._has_history(instance):
            self._write_baseline(type(instance), instance.pk)
        super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)

    def _reverse_m2m_changed(self, other, action, attr, pk_set) -> None:
        field = self.cls._meta.get_field(attr)  # simple_history passes the field's name
        if action == "pre_clear":
            other._audit_cleared = list(
                self.cls._default_manager.filter(**{field.name: other}).values_list("pk", flat=True)
            )
            pks = other._audit_cleared
        elif action == "post_clear":
            pks = getattr(other, "_audit_cleared", [])
        else:
            pks = list(pk_set or [])
        for row in self.cls._default_manager.filter(pk__in=pks):
            if action.startswith("pre_"):
                if not self._has_history(row):
                    self._write_baseline(self.cls, row.pk)
            else:
                self.create_historical_record(row, "~")

    def get_history_user(self, instance):
        if getattr(instance, "_audit_baseline", False):
            return None
        user = getattr(instance, "_history_user", None)
        if user is not None:
            return user
        ctx = _actor.get()
        if ctx is not None and ctx[0] is not None:
            return ctx[0]
        return super().get_history_user(instance)

    def get_change_reason_for_object(self, instance, history_type, using):
        reason = get_change_reason_from_object(instance)
        if reason:
            return reason
        ctx = _actor.get()
        return ctx[1] if ctx is not None and ctx[1] else None
