from django.contrib import admin

from .models import Assignment, Indicator, IndicatorTarget, Plan, SourceDocument, Task, TaskGroup


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "date", "issuer_name")
    search_fields = ("number", "title")
    filter_horizontal = ("implements", "replaces")


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "owner", "parent", "reporting_schedule")
    raw_id_fields = ("owner", "standing_agency", "document", "parent")


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "plan", "unit", "kind", "aggregation")
    list_filter = ("plan", "kind", "aggregation")
    search_fields = ("name", "search_key")
    raw_id_fields = ("parent", "aligned_to", "plan")
    filter_horizontal = ("responsible",)
    inlines = [TargetInline]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(admin.ModelAdmin):
    list_display = ("indicator", "year", "raw")
    raw_id_fields = ("indicator",)


@admin.register(TaskGroup)
class TaskGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "plan")
    list_filter = ("plan",)


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ("org",)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "plan", "group", "deadline_raw")
    list_filter = ("plan", "deadline_kind")
    search_fields = ("name", "search_key")
    raw_id_fields = ("plan", "group", "derived_from")
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("task", "org", "role", "source_text")
    list_filter = ("role",)
    raw_id_fields = ("task", "org")
