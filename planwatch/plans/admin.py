from django import forms
from django.contrib import admin

from .models import Assignment, Indicator, IndicatorTarget, Plan, SourceDocument, Task, TaskGroup


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "date", "issuer_name")
    search_fields = ("number", "title")
    filter_horizontal = ("implements", "replaces")


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "owner", "parent", "reporting_schedule", "monitored")
    raw_id_fields = ("owner", "standing_agency", "document", "parent")


def _small_text(rows: int = 2, width: str = "14em") -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "style": f"width:{width}"})


class TargetForm(forms.ModelForm):
    class Meta:
        model = IndicatorTarget
        fields = ("year", "raw", "spec", "note")
        # Django's default textareas (40 columns, 10 rows, 3 per row) made the indicator page
        # 2121 px wide: the five milestone rows now fit beside the admin's side bar.
        widgets = {"raw": _small_text(), "spec": _small_text(3, "18em"), "note": _small_text(2, "16em")}


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    form = TargetForm
    extra = 0


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = "__all__"
        widgets = {"name": _small_text(3, "min(40em, 100%)"), "notes": _small_text(6, "min(40em, 100%)")}


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = IndicatorForm
    list_display = ("code", "name", "plan", "unit", "kind", "aggregation")
    list_filter = ("plan", "kind", "aggregation")
    search_fields = ("name", "search_key")
    raw_id_fields = ("parent", "aligned_to", "plan")
    # A search box (Vietnamese) rather than two 130-line lists with English help text.
    autocomplete_fields = ("responsible",)
    fieldsets = (
        (None, {"fields": ("plan", ("code", "position", "is_group"), "parent", "name", "unit")}),
        ("Phân loại và cách tổng hợp", {"fields": ("kind", "direction", "aggregation")}),
        ("Cơ quan chủ trì theo dõi", {"fields": ("agency_text", "agency_inferred", "responsible")}),
        ("Chỉ tiêu cấp trên", {"fields": ("aligned_to", "alignment_note")}),
        ("Giá trị cơ sở", {"fields": (("baseline_value", "baseline_year"),)}),
        ("Ghi chú chép từ văn bản", {"classes": ("collapse",), "fields": ("notes",)}),
    )
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
