from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join

from .docx_report import PLACEHOLDERS, TemplateProblem
from .models import ExportJob, ImportJob, ReportTemplate
from .services import template_activate, template_validate


class ReportTemplateForm(forms.ModelForm):
    class Meta:
        model = ReportTemplate
        fields = ("name", "file", "is_active", "note")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "read"):
            upload.seek(0)
            blob = upload.read()
            upload.seek(0)
            try:
                template_validate(blob)
            except TemplateProblem as e:
                raise forms.ValidationError(str(e)) from e
        return upload


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    form = ReportTemplateForm
    list_display = ("name", "is_active", "uploaded_at", "uploaded_by")
    readonly_fields = ("placeholders",)
    fields = ("name", "file", "is_active", "note", "placeholders")

    @admin.display(description="Các trường có thể dùng trong mẫu")
    def placeholders(self, obj=None):
        rows = format_html_join("", "<li><code>{{{{ {} }}}}</code>: {}</li>", PLACEHOLDERS.items())
        return format_html(
            "<p>Tải mẫu mặc định tại trang “Xuất báo cáo”, sửa trong Word rồi tải lên. Bảng phụ lục "
            "do hệ thống tự thêm sau phần thân.</p><ul>{}</ul>", rows
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        wants_active = obj.is_active
        obj.is_active = False if wants_active else obj.is_active
        super().save_model(request, obj, form, change)
        if wants_active:
            template_activate(template=obj)


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "period", "org", "fmt", "status", "progress", "seconds", "created_by")
    list_filter = ("status", "fmt")
    raw_id_fields = ("period", "org", "template", "created_by")
    readonly_fields = ("created_at", "started_at", "finished_at", "seconds")

    # A job is written by the export service (who asked, for which period, what it built):
    # shown, not forged. Old jobs may be deleted (housekeeping does it too).
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Documents brought in through "Nhập văn bản": who, which file, how far, what came of it.
    Written by documents.ingest.services; shown, never edited here."""

    list_display = ("created_at", "filename", "kind", "status", "progress", "requested_by", "result_plan")
    list_filter = ("status", "kind")
    search_fields = ("filename", "sha256")
    exclude = ("draft", "corrections")
    readonly_fields = ("created_at", "started_at", "finished_at", "seconds", "applied_at")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
