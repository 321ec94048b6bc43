from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from . import validation as v
from .models import (
    Assignment,
    Indicator,
    IndicatorTarget,
    PendingReference,
    Plan,
    PlanAmendment,
    SourceDocument,
    Task,
    TaskGroup,
    TaskTerm,
)
from .validation import InterchangeError


def _checked(field: str, fn, *args, **kwargs):
    """Run a plans.validation check and report its Vietnamese message on the form field."""
    try:
        return fn(*args, **kwargs)
    except InterchangeError as e:
        raise ValidationError({field: str(e)}) from None


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
        help_texts = {"spec": "Để trống hoặc giữ nguyên khi sửa ô “như bản in”: ý nghĩa được phân tích lại từ ô đó."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spec"].required = False

    def clean(self):
        """The same checks as an import (plans.validation): a year within range, a finite
        meaning; an edited printed text re-derives the meaning unless the meaning was edited too."""
        cd = super().clean()
        year = _checked("year", v.year, cd.get("year"), "Mốc năm", required=True)
        spec = cd.get("spec")
        if "raw" in self.changed_data and "spec" not in self.changed_data:
            spec = None
        cd["spec"] = _checked("spec", v.target_spec, spec, cd.get("raw"), f"Mục tiêu năm {year}")
        return cd


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    form = TargetForm
    extra = 0


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = "__all__"
        widgets = {"name": _small_text(3, "min(40em, 100%)"), "notes": _small_text(6, "min(40em, 100%)")}

    def clean(self):
        cd = super().clean()
        _checked("baseline_year", v.year, cd.get("baseline_year"), "Năm cơ sở")
        _checked("baseline_value", v.baseline_decimal, cd.get("baseline_value"), "Giá trị cơ sở")
        _checked("notes", v.json_object, cd.get("notes"), "Ghi chú")
        return cd


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
    form = TargetForm
    fields = ("indicator", "year", "raw", "spec", "note")
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


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = "__all__"
        help_texts = {"deadline_spec": "Giữ nguyên khi sửa ô “như bản in”: thời hạn được phân tích lại từ ô đó."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "deadline_spec" in self.fields:
            self.fields["deadline_spec"].required = False

    def clean(self):
        """Editing only the printed deadline re-derives its meaning; a hand-edited meaning is
        checked like an imported one (no "due": 5, months 1–12, years 1945–2100)."""
        cd = super().clean()
        spec = cd.get("deadline_spec")
        if "deadline_raw" in self.changed_data and "deadline_spec" not in self.changed_data:
            spec = None
        cd["deadline_spec"] = _checked("deadline_spec", v.deadline_spec, spec, cd.get("deadline_raw"), "Thời hạn")
        for name in ("lead_text", "coordinating_text"):
            if name in cd:
                cd[name] = _checked(name, v.string_list, cd.get(name), self.fields[name].label)
        _checked("notes", v.json_object, cd.get("notes"), "Ghi chú")
        _checked("code", v.code, cd.get("code"), "TT")
        return cd


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    form = TaskForm
    list_display = ("code", "name", "plan", "group", "deadline_raw", "retired_on")
    list_filter = ("plan", "deadline_kind")
    search_fields = ("name", "search_key")
    raw_id_fields = ("plan", "group", "derived_from")
    inlines = [AssignmentInline]


class TaskTermInline(admin.TabularInline):
    model = TaskTerm
    extra = 0
    can_delete = False
    fields = readonly_fields = ("task", "valid_from", "valid_to", "deadline_raw", "deadline_due", "lead_text")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PlanAmendment)
class PlanAmendmentAdmin(admin.ModelAdmin):
    """Amendments are written by plans.services.plan_apply_amendment only: read-only here."""

    list_display = ("plan", "effective", "document", "reason", "applied_at", "applied_by")
    list_filter = ("plan",)
    readonly_fields = ("plan", "document", "reason", "effective", "applied_at", "applied_by", "diff")
    inlines = [TaskTermInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PendingReference)
class PendingReferenceAdmin(admin.ModelAdmin):
    list_display = ("plan", "row_kind", "row_code", "target_plan", "target_code")
    readonly_fields = ("plan", "row_kind", "row_code", "target_plan", "target_code")

    def has_add_permission(self, request):
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("task", "org", "role", "source_text")
    list_filter = ("role",)
    raw_id_fields = ("task", "org")
