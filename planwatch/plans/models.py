"""Source documents, plans, indicators with milestone targets, task groups, tasks and
assignments. Raw printed text is always kept beside the parsed meaning."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from planwatch.lib.deadlines import DeadlineSpec, parse_deadline
from planwatch.lib.targets import TargetSpec, parse_target
from planwatch.lib.text import search_key
from planwatch.orgs.models import Organisation


class SourceDocument(models.Model):
    number = models.CharField("số, ký hiệu", max_length=64, blank=True, db_index=True)
    kind = models.CharField("loại văn bản", max_length=120, blank=True)
    date = models.DateField("ngày ban hành", null=True, blank=True)
    issuer_name = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    issuer = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents",
        verbose_name="cơ quan ban hành (trong cây tổ chức)",
    )
    title = models.TextField("trích yếu", blank=True)
    implements = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="implemented_by", verbose_name="thực hiện văn bản"
    )
    replaces = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="replaced_by", verbose_name="thay thế văn bản"
    )
    notes = models.JSONField("ghi chú", default=dict, blank=True)

    class Meta:
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"
        ordering = ["-date", "number"]

    def __str__(self) -> str:
        return self.number or self.title[:80] or f"Văn bản #{self.pk}"


class ReportingSchedule(models.TextChoices):
    MONTHLY = "monthly", "Hằng tháng"
    QUARTERLY = "quarterly", "Hằng quý"
    HALF_YEARLY = "half_yearly", "6 tháng"
    YEARLY = "yearly", "Hằng năm"
    AD_HOC = "ad_hoc", "Đột xuất"


class Plan(models.Model):
    code = models.SlugField("mã", max_length=64, unique=True)
    name = models.TextField("tên kế hoạch")
    document = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans", verbose_name="văn bản"
    )
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="plans", verbose_name="cơ quan ban hành")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children", verbose_name="triển khai kế hoạch"
    )
    standing_agency = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="standing_plans",
        verbose_name="cơ quan thường trực",
    )
    milestone_years = models.JSONField("các mốc", default=list)
    reporting_schedule = models.CharField(
        "chu kỳ báo cáo", max_length=16, choices=ReportingSchedule.choices, default=ReportingSchedule.MONTHLY
    )
    reporting_due_day = models.PositiveSmallIntegerField("hạn báo cáo (ngày của tháng sau)", default=10)
    # False for a task list kept only for the reports made on it (e.g. the Government
    # programme 71/NQ-CP that Sở KH&CN reported on before plan 327): its tasks are not
    # counted on the monitoring dashboards, where plan 327 carries them.
    monitored = models.BooleanField("theo dõi trên trang giám sát", default=True)
    notes = models.JSONField("ghi chú", default=dict, blank=True)

    class Meta:
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"
        ordering = ["owner__path", "code"]

    def __str__(self) -> str:
        return self.name[:120]


class IndicatorKind(models.TextChoices):
    COUNT = "count", "Số lượng (cộng dồn)"
    RATIO = "ratio", "Tỷ lệ (tử số/mẫu số)"
    INDEX = "index", "Chỉ số"
    RANK = "rank", "Thứ hạng"
    AMOUNT = "amount", "Giá trị"
    QUALITATIVE = "qualitative", "Định tính"


class Direction(models.TextChoices):
    HIGHER = "higher", "Càng cao càng tốt"
    LOWER = "lower", "Càng thấp càng tốt"


class Aggregation(models.TextChoices):
    SUM = "sum", "Cộng các đơn vị"
    RATIO = "ratio", "Tỷ lệ từ tổng tử số / tổng mẫu số"
    RESPONSIBLE = "responsible", "Lấy số của cơ quan chủ trì"
    NONE = "none", "Không cộng dồn"


class Indicator(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name="kế hoạch")
    code = models.CharField("STT", max_length=32)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name="thuộc dòng nhóm"
    )
    position = models.PositiveIntegerField("thứ tự", default=0)
    is_group = models.BooleanField("dòng nhóm", default=False)
    name = models.TextField("tên chỉ tiêu")
    unit = models.CharField("đơn vị tính", max_length=120, blank=True)
    kind = models.CharField("loại", max_length=16, choices=IndicatorKind.choices, default=IndicatorKind.AMOUNT)
    direction = models.CharField("chiều", max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    aggregation = models.CharField("cách tổng hợp", max_length=16, choices=Aggregation.choices, default=Aggregation.RESPONSIBLE)
    agency_text = models.CharField("cơ quan chủ trì (như bản in)", max_length=255, blank=True)
    agency_inferred = models.BooleanField("cơ quan suy ra từ ô gộp", default=False)
    responsible = models.ManyToManyField(Organisation, blank=True, related_name="indicators", verbose_name="cơ quan chủ trì")
    aligned_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="aligned_from",
        verbose_name="tương ứng chỉ tiêu cấp trên",
    )
    alignment_note = models.CharField("ghi chú đối chiếu", max_length=255, blank=True)
    baseline_value = models.DecimalField("giá trị cơ sở", max_digits=20, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField("năm cơ sở", null=True, blank=True)
    notes = models.JSONField("ghi chú", default=dict, blank=True)
    search_key = models.TextField("khóa tìm kiếm", editable=False, default="")
    # Retired by an amendment: kept with its report history, stops counting from this day.
    retired_on = models.DateField("bãi bỏ từ ngày", null=True, blank=True)

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="indicator_plan_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name[:100]}"

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name)
        super().save(*args, **kwargs)


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name="chỉ tiêu")
    year = models.PositiveSmallIntegerField("mốc năm")
    raw = models.TextField("chỉ tiêu (như bản in)", null=True, blank=True)
    spec = models.JSONField("ý nghĩa đã phân tích", default=dict)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "mục tiêu theo mốc"
        verbose_name_plural = "mục tiêu theo mốc"
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="target_indicator_year_unique")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.raw or ''}"

    @property
    def target(self) -> TargetSpec:
        return TargetSpec.from_stored(self.spec)  # a legacy bad row reads as flagged text, never raises

    # The printed text is the source of the meaning: when `raw` changes and `spec` is not
    # changed with it (admin, services, any ORM save), the meaning is parsed again from raw.
    # An import that carries its own reviewed spec sets `explicit_spec = True`.
    explicit_spec = False

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        if "raw" in obj.__dict__ and "spec" in obj.__dict__:  # not deferred
            obj._loaded = (obj.raw, obj.spec)
        return obj

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded", None)
        raw_changed = loaded is None or loaded[0] != self.raw
        spec_kept = loaded is not None and loaded[1] == self.spec
        if not self.explicit_spec and ((raw_changed and (spec_kept or loaded is None and not self.spec)) or not self.spec):
            self.spec = parse_target(self.raw).value.to_dict()
        super().save(*args, **kwargs)
        self._loaded = (self.raw, self.spec)


class TaskGroup(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="task_groups", verbose_name="kế hoạch")
    code = models.CharField("mã nhóm", max_length=16)
    name = models.TextField("tên nhóm")
    position = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "nhóm nhiệm vụ"
        verbose_name_plural = "nhóm nhiệm vụ"
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="taskgroup_plan_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name[:100]}"


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name="kế hoạch")
    group = models.ForeignKey(
        TaskGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks", verbose_name="nhóm nhiệm vụ"
    )
    code = models.CharField("TT", max_length=16)
    position = models.PositiveIntegerField("thứ tự", default=0)
    name = models.TextField("tên nhiệm vụ")
    lead_text = models.JSONField("cơ quan chủ trì (như bản in)", default=list, blank=True)
    coordinating_text = models.JSONField("cơ quan phối hợp (như bản in)", default=list, blank=True)
    result = models.TextField("kết quả yêu cầu", blank=True)
    deadline_raw = models.CharField("thời gian hoàn thành (như bản in)", max_length=255, blank=True)
    deadline_spec = models.JSONField("thời hạn đã phân tích", default=dict)
    # Denormalised from deadline_spec for indexed filtering.
    deadline_kind = models.CharField("loại thời hạn", max_length=16, blank=True, db_index=True)
    deadline_due = models.DateField("hạn hoàn thành (ngày)", null=True, blank=True, db_index=True)
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derived_tasks",
        verbose_name="nhiệm vụ cấp trên",
    )
    notes = models.JSONField("ghi chú", default=dict, blank=True)
    search_key = models.TextField("khóa tìm kiếm", editable=False, default="")
    # Retired by an amendment: kept with its report history, stops counting from this day.
    retired_on = models.DateField("bãi bỏ từ ngày", null=True, blank=True)

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="task_plan_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name[:100]}"

    @property
    def deadline(self) -> DeadlineSpec:
        return DeadlineSpec.from_stored(self.deadline_spec)  # a legacy bad row reads as unknown, never raises

    # As for targets: editing only the printed deadline re-parses its meaning (an import that
    # carries its own reviewed spec sets `explicit_spec = True`).
    explicit_spec = False

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        if "deadline_raw" in obj.__dict__ and "deadline_spec" in obj.__dict__:  # not deferred
            obj._loaded = (obj.deadline_raw, obj.deadline_spec)
        return obj

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name)
        loaded = getattr(self, "_loaded", None)
        raw_changed = loaded is None or loaded[0] != self.deadline_raw
        spec_kept = loaded is not None and loaded[1] == self.deadline_spec
        if not self.explicit_spec and ((raw_changed and (spec_kept or loaded is None and not self.deadline_spec)) or not self.deadline_spec):
            self.deadline_spec = parse_deadline(self.deadline_raw or None).value.to_dict()
        spec = self.deadline
        self.deadline_kind = spec.kind.value
        self.deadline_due = spec.due
        super().save(*args, **kwargs)
        self._loaded = (self.deadline_raw, self.deadline_spec)


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "Chủ trì"
    COORDINATING = "coordinating", "Phối hợp"


class Assignment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments", verbose_name="nhiệm vụ")
    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assignments", verbose_name="đơn vị")
    role = models.CharField("vai trò", max_length=16, choices=AssignmentRole.choices)
    source_text = models.CharField("giao theo cụm từ", max_length=255, blank=True)
    # The assignment holds from valid_from to valid_to (inclusive; None = open). When a unit
    # ends, its open assignments end with it and pass to its successor from the next day.
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    transferred_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="transferred_to",
        verbose_name="kế thừa từ giao nhiệm vụ",
    )

    class Meta:
        verbose_name = "giao nhiệm vụ"
        verbose_name_plural = "giao nhiệm vụ"
        constraints = [models.UniqueConstraint(fields=["task", "org", "role"], name="assignment_unique")]
        indexes = [models.Index(fields=["org", "role"])]

    def __str__(self) -> str:
        return f"{self.task.code} → {self.org} ({self.get_role_display()})"


class PlanAmendment(models.Model):
    """One reviewed change of a plan (a later document "quyết định điều chỉnh, bổ sung", or a
    typed reason), applied in one transaction from `effective`. `diff` keeps what changed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="amendments", verbose_name="kế hoạch")
    document = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="amendments",
        verbose_name="văn bản điều chỉnh",
    )
    reason = models.TextField("lý do", blank=True)
    effective = models.DateField("hiệu lực từ ngày")
    applied_at = models.DateTimeField("áp dụng lúc", auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="người áp dụng",
    )
    diff = models.JSONField("các thay đổi", default=dict)

    class Meta:
        verbose_name = "điều chỉnh kế hoạch"
        verbose_name_plural = "điều chỉnh kế hoạch"
        ordering = ["plan", "-effective", "-applied_at"]

    def __str__(self) -> str:
        why = self.document.number if self.document_id else self.reason[:60]
        return f"{self.plan.code} từ {self.effective:%d/%m/%Y}: {why}"


class TaskTerm(models.Model):
    """An earlier deadline and lead of a task, with the days it governed (inclusive; valid_from
    None = since the plan began). The task row itself holds the values in force now."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="terms", verbose_name="nhiệm vụ")
    valid_from = models.DateField("áp dụng từ", null=True, blank=True)
    valid_to = models.DateField("áp dụng đến")
    deadline_raw = models.CharField("thời gian hoàn thành (như bản in)", max_length=255, blank=True)
    deadline_spec = models.JSONField("thời hạn đã phân tích", default=dict)
    deadline_due = models.DateField("hạn hoàn thành (ngày)", null=True, blank=True)
    lead_text = models.JSONField("cơ quan chủ trì (như bản in)", default=list, blank=True)
    amendment = models.ForeignKey(
        PlanAmendment, null=True, blank=True, on_delete=models.SET_NULL, related_name="task_terms",
        verbose_name="thay đổi bởi điều chỉnh",
    )

    class Meta:
        verbose_name = "thời hạn, chủ trì trước đây"
        verbose_name_plural = "thời hạn, chủ trì trước đây"
        ordering = ["task", "valid_to"]
        indexes = [models.Index(fields=["task", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.task.code}: {self.deadline_raw} (đến {self.valid_to:%d/%m/%Y})"

    @property
    def deadline(self) -> DeadlineSpec:
        return DeadlineSpec.from_dict(self.deadline_spec)


class PendingReference(models.Model):
    """A reference to a row of a plan not imported yet (a task "derived_from" the 71/NQ-CP
    list, an indicator "aligned_to" an upper plan's). Resolved when that plan is imported."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="pending_references", verbose_name="kế hoạch")
    row_kind = models.CharField("loại dòng", max_length=16, choices=[("task", "nhiệm vụ"), ("indicator", "chỉ tiêu")])
    row_code = models.CharField("mã dòng", max_length=32)
    target_plan = models.CharField("mã kế hoạch được tham chiếu", max_length=64, db_index=True)
    target_code = models.CharField("mã dòng được tham chiếu", max_length=32)

    class Meta:
        verbose_name = "tham chiếu chờ kế hoạch"
        verbose_name_plural = "tham chiếu chờ kế hoạch"
        constraints = [models.UniqueConstraint(fields=["plan", "row_kind", "row_code"], name="pendingref_row_unique")]

    def __str__(self) -> str:
        return f"{self.plan.code} {self.row_code} → {self.target_plan}/{self.target_code}"
