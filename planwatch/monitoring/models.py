"""Roll-up tables: the latest accepted state of every (task, unit) and the plan-level value of
every indicator per period. Kept exact by receivers.py inside the transaction of each report
transition, and recomputable from scratch by `rebuild_rollups` (the two must agree).

Statuses themselves are never stored: "due soon" and "overdue" change with the calendar, so
they are computed at read time (status.py, mirrored in SQL by selectors.py)."""

from __future__ import annotations

from django.db import models

from planwatch.orgs.models import Organisation
from planwatch.plans.models import Indicator, Plan, Task, TaskGroup
from planwatch.reporting.models import ReportingPeriod


PROGRESS_LABELS = {"not_started": "chưa triển khai", "in_progress": "đang thực hiện", "done": "hoàn thành"}
RATING_LABELS = {"green": "xanh", "amber": "vàng", "red": "đỏ"}


class TaskState(models.Model):
    """One row per (task, assigned unit): its deadline (denormalised) and the progress line of
    the unit's latest accepted report that mentions the task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+", verbose_name="nhiệm vụ")
    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", verbose_name="đơn vị")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name="kế hoạch")
    group = models.ForeignKey(TaskGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="nhóm nhiệm vụ")
    org_path = models.CharField("đường dẫn đơn vị", max_length=255)
    # The unit's last day (Organisation.valid_to, denormalised): units ended by the reform
    # stop counting the day after (statuses, rankings, expected reports).
    org_valid_to = models.DateField("đơn vị hoạt động đến", null=True, blank=True)
    # The task's retirement day (Task.retired_on) and the assignment's validity
    # (Assignment.valid_from/valid_to, inclusive; the widest of the unit's lead and
    # coordinating assignments): the row counts only on days inside them (selectors.counts_on).
    task_retired_on = models.DateField("nhiệm vụ thôi áp dụng từ", null=True, blank=True)
    valid_from = models.DateField("giao từ ngày", null=True, blank=True)
    valid_to = models.DateField("giao đến ngày", null=True, blank=True)
    is_lead = models.BooleanField("chủ trì", default=False)
    deadline_kind = models.CharField("loại thời hạn", max_length=16, blank=True)
    deadline_due = models.DateField("hạn hoàn thành", null=True, blank=True)
    progress = models.CharField("tình hình", max_length=16, blank=True)  # "" = never reported (accepted)
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    period_end = models.DateField("cuối kỳ báo cáo", null=True, blank=True)  # period of the line's report
    report_id = models.IntegerField("mã báo cáo", null=True, blank=True)
    rating = models.CharField("tự đánh giá", max_length=8, blank=True)

    class Meta:
        verbose_name = "tình trạng nhiệm vụ của đơn vị"
        verbose_name_plural = "tình trạng nhiệm vụ của đơn vị"
        constraints = [models.UniqueConstraint(fields=["task", "org"], name="taskstate_task_org_unique")]
        indexes = [
            # Subtree prefix filters: pattern ops so PostgreSQL uses the index for LIKE 'x%'.
            models.Index(fields=["org_path"], name="taskstate_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["org", "plan"], name="taskstate_org_plan_idx"),
        ]

    # Labels for templates; `status` is annotated by selectors.with_status().
    def __str__(self) -> str:
        return f"{self.task} – {self.org}"

    @property
    def status_label(self) -> str:
        from .status import TaskStatus

        status = getattr(self, "status", None)
        return TaskStatus(status).label if status else ""

    @property
    def progress_label(self) -> str:
        return PROGRESS_LABELS.get(self.progress, "")

    @property
    def rating_label(self) -> str:
        return RATING_LABELS.get(self.rating, "")


class IndicatorPoint(models.Model):
    """The plan-level value of an indicator in one period, from the accepted reports of that
    period, combined by the indicator's aggregation rule (counts add, ratios from numerators
    and denominators, ranks and qualitative figures from the responsible unit only)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", verbose_name="chỉ tiêu")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name="kế hoạch")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+", verbose_name="kỳ báo cáo")
    owner_path = models.CharField("đường dẫn đơn vị chủ quản", max_length=255)
    period_end = models.DateField("cuối kỳ báo cáo")
    value = models.DecimalField("giá trị", max_digits=24, decimal_places=4, null=True)
    numerator = models.DecimalField("tử số", max_digits=24, decimal_places=4, null=True)
    denominator = models.DecimalField("mẫu số", max_digits=24, decimal_places=4, null=True)
    contributors = models.PositiveIntegerField("số đơn vị góp số liệu", default=0)

    class Meta:
        verbose_name = "số liệu chỉ tiêu theo kỳ"
        verbose_name_plural = "số liệu chỉ tiêu theo kỳ"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="indicatorpoint_unique")
        ]
        indexes = [
            models.Index(fields=["owner_path"], name="indpoint_path_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.period}"


class RollupStamp(models.Model):
    """Fingerprint of the data the roll-ups were built from (services._fingerprint). The
    receivers advance it with each write they follow; a write that bypassed every receiver
    (a raw bulk load) leaves it behind, and the background repair job (tasks.repair_rollups,
    never a page view) rebuilds by upsert when it no longer matches."""

    key = models.CharField("khóa", max_length=32, unique=True)
    fingerprint = models.CharField("dấu vân tay dữ liệu", max_length=255)

    class Meta:
        verbose_name = "mốc tổng hợp số liệu"
        verbose_name_plural = "mốc tổng hợp số liệu"

    def __str__(self) -> str:
        return f"Mốc tổng hợp {self.key}"


class IndicatorState(models.Model):
    """Where each indicator stands against its next milestone, as assessed on `assessed_on`
    (status.assess_indicator over its IndicatorPoints). The overview counts these rows instead
    of assessing thousands of indicators per request. Refreshed for the indicators a report,
    a target or an indicator edit touches inside that write's transaction, and for every
    indicator by the scheduler just after midnight (the next milestone and the projection move
    with the calendar). A read that finds rows assessed on another day assesses those in
    memory for itself without writing (selectors.indicator_state_counts)."""

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="+", verbose_name="chỉ tiêu")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name="kế hoạch")
    owner_path = models.CharField("đường dẫn đơn vị chủ quản", max_length=255)
    status = models.CharField("đánh giá", max_length=16)
    milestone_year = models.PositiveSmallIntegerField("năm mốc", null=True, blank=True)
    reason = models.TextField("lý do", blank=True)
    assessed_on = models.DateField("đánh giá ngày", null=True, blank=True)
    rules = models.CharField("phiên bản quy tắc", max_length=16, blank=True)  # status.RULES_VERSION it was assessed with
    # Indicator.retired_on, denormalised: a retired indicator stops counting from that day.
    retired_on = models.DateField("thôi áp dụng từ", null=True, blank=True)

    class Meta:
        verbose_name = "đánh giá chỉ tiêu"
        verbose_name_plural = "đánh giá chỉ tiêu"
        indexes = [
            models.Index(fields=["owner_path"], name="indstate_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["assessed_on"], name="indstate_assessed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.status}"
