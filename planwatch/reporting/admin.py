"""Reporting in the admin. What people reported, and the trail of who sent, returned and
accepted it, cannot be forged here: reports, their lines, evidence, events and revisions are
read-only (no add, no change, no delete). Reports change only through the report pages,
whose services bump the version, keep a revision, write the event and keep the roll-ups
exact; every change is also in the report's "Lịch sử thay đổi" (planwatch.audit)."""

from django.contrib import admin

from .models import (
    Evidence, IndicatorValue, OutboxMessage, ReliefRequest, ReportEvent, ReportingPeriod, ReportRevision, TaskProgress, UnitReport,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written: the admin's add, change and delete (one by one or in bulk) are
    refused with 403."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    """Once a unit has reported on a period, what it covers (plan, kind, dates) is history:
    the reports, the roll-ups (period_end) and the exports were judged against it. Its label
    and due date may still be corrected (timeliness is judged at read time)."""

    list_display = ("label", "plan", "kind", "start", "end", "due_date", "is_sample")
    list_filter = ("plan", "kind")
    FIXED_ONCE_REPORTED = ("plan", "kind", "year", "number", "start", "end")

    def _reported(self, obj) -> bool:
        return obj is not None and obj.reports.exists()

    def get_readonly_fields(self, request, obj=None):
        return self.FIXED_ONCE_REPORTED if self._reported(obj) else ()

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._reported(obj)


class TaskProgressInline(ReadOnlyInline):
    model = TaskProgress
    raw_id_fields = ("task",)


class IndicatorValueInline(ReadOnlyInline):
    model = IndicatorValue
    raw_id_fields = ("indicator",)


class ReportEventInline(ReadOnlyInline):
    model = ReportEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "comment")


@admin.register(UnitReport)
class UnitReportAdmin(ReadOnlyAdmin):
    list_display = ("period", "org", "status", "submitted_at", "accepted_at", "is_sample")
    list_filter = ("status", "period")
    raw_id_fields = ("org", "period")
    inlines = [TaskProgressInline, IndicatorValueInline, ReportEventInline]


@admin.register(TaskProgress)
class TaskProgressAdmin(ReadOnlyAdmin):
    list_display = ("report", "task", "status", "completed_on")
    raw_id_fields = ("report", "task")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    list_display = ("report", "indicator", "value", "numerator", "denominator")
    raw_id_fields = ("report", "indicator")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "report", "content_type", "size", "uploaded_at")
    raw_id_fields = ("report", "task")


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdmin):
    list_display = ("report", "action", "from_status", "to_status", "actor", "at")
    raw_id_fields = ("report",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("to", "subject", "created_at", "sent_at")


@admin.register(ReportRevision)
class ReportRevisionAdmin(ReadOnlyAdmin):
    list_display = ("report", "version", "by", "at")
    raw_id_fields = ("report",)


@admin.register(ReliefRequest)
class ReliefRequestAdmin(ReadOnlyAdmin):
    """Requested and decided on the pages ("Không thuộc phạm vi"), whose services end the
    assignment and keep the roll-ups exact: read-only here."""

    list_display = ("org", "task", "status", "requested_at", "decided_at", "effective_from")
    list_filter = ("status",)
    search_fields = ("org__name", "task__code", "task__name", "reason")
