"""Report templates edited by administrators, and export jobs (one file each)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from planwatch.orgs.models import Organisation
from planwatch.reporting.models import ReportingPeriod


class ReportTemplate(models.Model):
    """A docxtpl Word template for the body of the report. At most one is active; without
    one the built-in default (templates_docx/bao_cao_mac_dinh.docx) is used."""

    name = models.CharField("tên mẫu", max_length=200)
    # Under MEDIA_ROOT (outside the web root); read only by the renderer.
    file = models.FileField("tệp mẫu (.docx)", upload_to="report_templates/%Y/", max_length=255)
    is_active = models.BooleanField("đang dùng", default=False)
    note = models.TextField("ghi chú", blank=True)
    uploaded_at = models.DateTimeField("ngày tải lên", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người tải lên"
    )

    class Meta:
        verbose_name = "mẫu báo cáo"
        verbose_name_plural = "mẫu báo cáo"
        ordering = ["-is_active", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True), name="one_active_report_template")
        ]

    def __str__(self) -> str:
        return self.name


class ExportFormat(models.TextChoices):
    DOCX = "docx", "Word (DOCX)"
    XLSX = "xlsx", "Excel (XLSX)"
    PDF = "pdf", "PDF"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "đang chờ"
    RUNNING = "running", "đang tạo"
    DONE = "done", "đã xong"
    FAILED = "failed", "lỗi"


class ExportJob(models.Model):
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="export_jobs", verbose_name="kỳ báo cáo")
    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="export_jobs", verbose_name="đơn vị")
    fmt = models.CharField("định dạng", max_length=8, choices=ExportFormat.choices)
    accepted_only = models.BooleanField("chỉ báo cáo đã tiếp nhận", default=False)
    report_date = models.DateField("ngày báo cáo")
    status = models.CharField("trạng thái", max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    message = models.CharField("thông báo", max_length=255, blank=True)
    error = models.TextField("lỗi", blank=True)
    template = models.ForeignKey(ReportTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="mẫu báo cáo")
    # Under MEDIA_ROOT/exports; served only by the access-checked download view.
    file = models.FileField("tệp", upload_to="exports/%Y/%m/", max_length=255, blank=True)
    filename = models.CharField("tên tệp tải về", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người yêu cầu")
    created_at = models.DateTimeField("yêu cầu lúc", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)
    seconds = models.FloatField("thời gian tạo (giây)", null=True, blank=True)

    class Meta:
        verbose_name = "lượt xuất báo cáo"
        verbose_name_plural = "lượt xuất báo cáo"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.period} – {self.org} ({self.get_fmt_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)


# ---------------------------------------------------------------- documents in (issue 9)


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "đang chờ"
    RUNNING = "running", "đang đọc"
    DONE = "done", "đã đọc xong"
    FAILED = "failed", "lỗi"


class ImportJob(models.Model):
    """One uploaded document (plan, amended plan or unit progress report) on its way to a
    reviewed draft and then to the database. The draft and the person's corrections are kept
    apart: corrections are re-applied to the draft each time the preview is built."""

    # Under MEDIA_ROOT/imports (outside the web root); read only by the job.
    file = models.FileField("tệp", upload_to="imports/%Y/%m/", max_length=255)
    filename = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("mã băm SHA-256", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField("dung lượng (byte)", default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người tải lên"
    )
    status = models.CharField("trạng thái", max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    stage = models.CharField("bước", max_length=255, blank=True)
    error_code = models.CharField("mã lỗi", max_length=32, blank=True)
    error = models.TextField("lỗi", blank=True)
    kind = models.CharField("loại văn bản", max_length=16, blank=True)  # plan | report | unknown
    draft = models.JSONField("bản nháp", null=True, blank=True)
    corrections = models.JSONField("chỉnh sửa", default=dict, blank=True)
    created_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)
    seconds = models.FloatField("thời gian đọc (giây)", null=True, blank=True)
    # The plan the upload is meant for (an amendment, or the plan a report belongs to).
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="import_jobs",
        verbose_name="kế hoạch",
    )
    # What applying produced.
    applied_at = models.DateTimeField("áp dụng lúc", null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người áp dụng"
    )
    result_plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="kế hoạch đã nhập"
    )
    result_report = models.ForeignKey(
        "reporting.UnitReport", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="báo cáo đã nhập",
    )
    result_note = models.TextField("kết quả", blank=True)

    class Meta:
        verbose_name = "lượt nhập văn bản"
        verbose_name_plural = "lượt nhập văn bản"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def is_applied(self) -> bool:
        return self.applied_at is not None
