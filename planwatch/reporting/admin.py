from django.contrib import admin

from .models import Evidence, IndicatorValue, OutboxMessage, ReportEvent, ReportingPeriod, ReportRevision, TaskProgress, UnitReport


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ("label", "plan", "kind", "start", "end", "due_date", "is_sample")
    list_filter = ("plan", "kind")


class TaskProgressInline(admin.TabularInline):
    model = TaskProgress
    extra = 0
    raw_id_fields = ("task",)


@admin.register(UnitReport)
class UnitReportAdmin(admin.ModelAdmin):
    list_display = ("period", "org", "status", "submitted_at", "accepted_at", "is_sample")
    list_filter = ("status", "period")
    raw_id_fields = ("org", "period")
    inlines = [TaskProgressInline]


@admin.register(TaskProgress)
class TaskProgressAdmin(admin.ModelAdmin):
    list_display = ("report", "task", "status", "completed_on")
    raw_id_fields = ("report", "task")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("report", "indicator", "value", "numerator", "denominator")
    raw_id_fields = ("report", "indicator")


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ("original_name", "report", "content_type", "size", "uploaded_at")
    raw_id_fields = ("report", "task")


@admin.register(ReportEvent)
class ReportEventAdmin(admin.ModelAdmin):
    list_display = ("report", "action", "from_status", "to_status", "actor", "at")
    raw_id_fields = ("report",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("to", "subject", "created_at", "sent_at")


@admin.register(ReportRevision)
class ReportRevisionAdmin(admin.ModelAdmin):
    list_display = ("report", "version", "by", "at")
    raw_id_fields = ("report",)
