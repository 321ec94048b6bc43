"""Reporting periods, unit reports and their workflow, progress lines, indicator values,
evidence, audit events and the reminder outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from planwatch.orgs.models import Organisation
from planwatch.plans.models import Indicator, Plan, Task


class PeriodKind(models.TextChoices):
    MONTH = "month", "Tháng"
    QUARTER = "quarter", "Quý"
    HALF = "half", "6 tháng"
    YEAR = "year", "Năm"
    AD_HOC = "ad_hoc", "Đột xuất"


class ReportingPeriod(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="periods", verbose_name="kế hoạch")
    kind = models.CharField("loại kỳ", max_length=16, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveSmallIntegerField("số kỳ trong năm", default=0)  # month 1–12, quarter 1–4, half 1–2
    label = models.CharField("tên kỳ", max_length=120)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    due_date = models.DateField("hạn nộp")
    opened_at = models.DateTimeField("mở lúc", auto_now_add=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người mở kỳ")
    is_sample = models.BooleanField("dữ liệu mẫu minh họa", default=False)

    class Meta:
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        ordering = ["plan", "-end"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "year", "number"],
                condition=~models.Q(kind="ad_hoc"),
                name="period_unique_per_plan",
            )
        ]

    def __str__(self) -> str:
        return self.label


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "nháp"
    SUBMITTED = "submitted", "đã gửi"
    RETURNED = "returned", "bị trả lại"
    ACCEPTED = "accepted", "đã tiếp nhận"


class UnitReport(models.Model):
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reports", verbose_name="kỳ báo cáo")
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reports", verbose_name="đơn vị")
    status = models.CharField("trạng thái", max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    # Optimistic concurrency: every save of the draft bumps it; a save carrying an older
    # version is refused instead of overwriting someone else's work.
    version = models.PositiveIntegerField("phiên bản", default=1)
    created_at = models.DateTimeField("lập lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lần cuối lúc", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người sửa lần cuối")
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người gửi")
    accepted_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người tiếp nhận")
    general_obstacles = models.TextField("khó khăn, vướng mắc chung", blank=True)
    general_recommendations = models.TextField("kiến nghị, đề xuất chung", blank=True)
    is_sample = models.BooleanField("dữ liệu mẫu minh họa", default=False)

    class Meta:
        verbose_name = "báo cáo đơn vị"
        verbose_name_plural = "báo cáo đơn vị"
        ordering = ["period", "org__path"]
        constraints = [models.UniqueConstraint(fields=["period", "org"], name="report_period_org_unique")]

    def __str__(self) -> str:
        return f"{self.period.label} – {self.org}"

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    @property
    def is_late(self) -> bool | None:
        """Sent after the due day (local time); None when not sent: rules.report_timeliness."""
        if not self.submitted_at:
            return None
        from django.utils import timezone

        from .rules import ReportTimeliness, report_timeliness

        sent_on = timezone.localdate(self.submitted_at)
        return report_timeliness(self.period.due_date, sent_on, sent_on) is ReportTimeliness.LATE


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "chưa triển khai"
    IN_PROGRESS = "in_progress", "đang thực hiện"
    DONE = "done", "hoàn thành"


class Rating(models.TextChoices):
    GREEN = "green", "xanh"
    AMBER = "amber", "vàng"
    RED = "red", "đỏ"


class TaskProgress(models.Model):
    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="task_lines", verbose_name="báo cáo")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress_lines", verbose_name="nhiệm vụ")
    status = models.CharField("tình hình", max_length=16, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED)
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    result_to_date = models.TextField("kết quả đến thời điểm báo cáo", blank=True)
    expected_next = models.TextField("dự kiến kết quả kỳ tới", blank=True)
    obstacles = models.TextField("vướng mắc, kiến nghị", blank=True)
    rating = models.CharField("tự đánh giá", max_length=8, choices=Rating.choices, blank=True)
    rating_explanation = models.TextField("giải trình", blank=True)

    class Meta:
        verbose_name = "tiến độ nhiệm vụ"
        verbose_name_plural = "tiến độ nhiệm vụ"
        ordering = ["report", "task__position"]
        constraints = [models.UniqueConstraint(fields=["report", "task"], name="progress_report_task_unique")]

    def __str__(self) -> str:
        return f"Tiến độ nhiệm vụ {self.task.code} – {self.report}"


class IndicatorValue(models.Model):
    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="indicator_values", verbose_name="báo cáo")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values", verbose_name="chỉ tiêu")
    value = models.DecimalField("giá trị", max_digits=20, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField("tử số", max_digits=20, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField("mẫu số", max_digits=20, decimal_places=4, null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "số liệu chỉ tiêu"
        verbose_name_plural = "số liệu chỉ tiêu"
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="value_report_indicator_unique")]

    def __str__(self) -> str:
        return f"Số liệu chỉ tiêu {self.indicator.code} – {self.report}"


class LiveEvidenceManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Evidence(models.Model):
    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="evidence", verbose_name="báo cáo")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence", verbose_name="nhiệm vụ")
    # Stored under MEDIA_ROOT (var/files, outside the web root) with a random name; served
    # only by the access-checked download view.
    file = models.FileField("tệp", upload_to="evidence/%Y/%m/", max_length=255)
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField("loại tệp", max_length=100)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người tải lên")
    # Soft delete (services.evidence_delete / evidence_restore): a deleted file can be put back
    # for a few minutes ("Hoàn tác"); the default manager, and so `report.evidence`, hides it.
    deleted_at = models.DateTimeField("xóa lúc", null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người xóa"
    )

    objects = LiveEvidenceManager()
    all_objects = models.Manager()

    class Meta:
        base_manager_name = "all_objects"
        verbose_name = "minh chứng"
        verbose_name_plural = "minh chứng"

    def __str__(self) -> str:
        return f"Minh chứng “{self.original_name}”"


class ReportEvent(models.Model):
    """Audit trail: every workflow transition, who, when, and the comment."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="events", verbose_name="báo cáo")
    action = models.CharField("thao tác", max_length=32)
    from_status = models.CharField("từ trạng thái", max_length=16, blank=True)
    to_status = models.CharField("sang trạng thái", max_length=16, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người thực hiện")
    at = models.DateTimeField("lúc")
    comment = models.TextField("ý kiến", blank=True)

    class Meta:
        verbose_name = "nhật ký báo cáo"
        verbose_name_plural = "nhật ký báo cáo"
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        from .selectors import EVENT_ACTIONS

        return f"{EVENT_ACTIONS.get(self.action, self.action)} – {self.report}"


class ReportRevision(models.Model):
    """The saved content of a report at each version, so that a refused concurrent save
    can show exactly what the other person changed since the version the user started from."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="revisions", verbose_name="báo cáo")
    version = models.PositiveIntegerField("phiên bản")
    data = models.JSONField("nội dung", default=dict)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người lưu")
    at = models.DateTimeField("lúc")

    class Meta:
        verbose_name = "phiên bản báo cáo"
        verbose_name_plural = "phiên bản báo cáo"
        ordering = ["report", "version"]
        constraints = [models.UniqueConstraint(fields=["report", "version"], name="revision_report_version_unique")]

    def __str__(self) -> str:
        return f"Phiên bản {self.version} – {self.report}"


class OutboxMessage(models.Model):
    """E-mails (reminders, notifications). Sent by a background job; in the embedded
    default they stay here and are visible in the UI."""

    to = models.CharField("người nhận", max_length=255)
    subject = models.CharField("tiêu đề", max_length=255)
    body = models.TextField("nội dung")
    org = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="đơn vị")
    period = models.ForeignKey(ReportingPeriod, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages", verbose_name="kỳ báo cáo")
    report = models.ForeignKey(UnitReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages", verbose_name="báo cáo")
    kind = models.CharField("loại thư", max_length=32, blank=True, db_index=True)  # "reminder", "submitted", "returned"…
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    error = models.TextField("lỗi", blank=True)

    class Meta:
        verbose_name = "thư đi"
        verbose_name_plural = "thư đi"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Thư tới {self.to}: {self.subject}"


class ReliefStatus(models.TextChoices):
    PENDING = "pending", "chờ quyết định"
    ACCEPTED = "accepted", "đã chấp nhận"
    REFUSED = "refused", "không chấp nhận"


class ReliefRequest(models.Model):
    """A unit's request "Không thuộc phạm vi": the task assigned to it is not its own (e.g. a
    commune given a province-wide pilot by a collective phrase). Decided by the plan's standing
    agency (reporting.relief). Until accepted nothing changes; once accepted the unit's
    assignments of the task end (plans.lifecycle.assignment_end) from `effective_from`, so it
    is no longer expected to report on it anywhere (reporting, monitoring, consolidation)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="relief_requests", verbose_name="nhiệm vụ")
    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="relief_requests", verbose_name="đơn vị")
    report = models.ForeignKey(
        UnitReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="relief_requests",
        verbose_name="đề nghị từ báo cáo",
    )
    reason = models.TextField("lý do đơn vị nêu")
    status = models.CharField("trạng thái", max_length=16, choices=ReliefStatus.choices, default=ReliefStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người đề nghị"
    )
    requested_at = models.DateTimeField("đề nghị lúc")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="người quyết định",
    )
    decided_at = models.DateTimeField("quyết định lúc", null=True, blank=True)
    decision_comment = models.TextField("ý kiến của cơ quan thường trực", blank=True)
    effective_from = models.DateField("không phải báo cáo từ ngày", null=True, blank=True)

    class Meta:
        verbose_name = "đề nghị không thuộc phạm vi"
        verbose_name_plural = "đề nghị không thuộc phạm vi"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "org"], condition=models.Q(status="pending"), name="relief_one_pending_per_task_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.org.name} – nhiệm vụ {self.task.code}: {self.get_status_display()}"
