"""Organisation tree, aliases, history (validity + successors) and memberships."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone

from planwatch.lib.text import search_key


class OrgKind(models.TextChoices):
    PROVINCE = "province", "Tỉnh / thành phố"
    PEOPLES_COMMITTEE = "peoples_committee", "Ủy ban nhân dân"
    PARTY_COMMITTEE = "party_committee", "Cấp ủy Đảng"
    DEPARTMENT = "department", "Sở, ban, ngành"
    AGENCY = "agency", "Cơ quan, đơn vị khác"
    DISTRICT = "district", "Huyện (cũ)"
    DISTRICT_OFFICE = "district_office", "Phòng, ban cấp huyện"
    COMMUNE = "commune", "Xã"
    WARD = "ward", "Phường"
    SPECIAL_ZONE = "special_zone", "Đặc khu"
    GROUP = "group", "Nhóm đơn vị"


LOCALITY_KINDS = (OrgKind.COMMUNE, OrgKind.WARD, OrgKind.SPECIAL_ZONE)
DEPARTMENT_KINDS = (OrgKind.DEPARTMENT, OrgKind.AGENCY)


def active_during(start: date, end: date, prefix: str = "") -> models.Q:
    """Query form of Organisation.is_active_during: organisations that existed for at least
    part of [start, end] (one ended by the 1/7/2025 reform reports on nothing after it).
    `prefix`: the path to the organisation from another model, e.g. "org__"."""
    return (models.Q(**{f"{prefix}valid_to__isnull": True}) | models.Q(**{f"{prefix}valid_to__gte": start})) & (
        models.Q(**{f"{prefix}valid_from__isnull": True}) | models.Q(**{f"{prefix}valid_from__lte": end})
    )


class Organisation(models.Model):
    code = models.CharField("mã", max_length=64, unique=True)
    name = models.CharField("tên", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=120, blank=True)
    kind = models.CharField("loại", max_length=32, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="cấp trên"
    )
    # Materialised path ("/1/7/42/") so that a subtree is one indexed prefix query on
    # SQLite and PostgreSQL alike; maintained by save().
    path = models.CharField("đường dẫn trong cây", max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField("cấp trong cây", default=0, editable=False)
    admin_code = models.CharField("mã hành chính", max_length=16, blank=True, db_index=True)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    note = models.TextField("ghi chú", blank=True)
    search_key = models.CharField("khóa tìm kiếm", max_length=255, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = "tổ chức"
        verbose_name_plural = "tổ chức"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        """Keeps the materialised path of the whole subtree true: moving a unit rewrites the
        path and depth of every descendant in one UPDATE, and a move under the unit's own
        descendant is refused. A move or a change of validity sends `org_tree_changed`
        inside the transaction. Reorganisations with an effective date, an actor and a
        reason go through orgs.services (org_move, org_end …), which end here."""
        from .signals import org_tree_changed

        self.search_key = search_key(self.name)
        with transaction.atomic():
            before = None
            if self.pk:
                before = (
                    type(self).objects.select_for_update()
                    .filter(pk=self.pk).values("path", "depth", "parent_id", "valid_from", "valid_to").first()
                )
            parent_path = "/"
            if self.parent_id:
                # Read from the database: an in-memory parent may carry a path made stale by a move.
                parent_path = type(self).objects.filter(pk=self.parent_id).values_list("path", flat=True).first()
                if parent_path is None:
                    raise ValidationError({"parent": "Không tìm thấy đơn vị cấp trên"})
                if before and (self.parent_id == self.pk or parent_path.startswith(before["path"])):
                    raise ValidationError(
                        {"parent": f"Không thể chuyển “{self.name}” vào chính nó hoặc một đơn vị cấp dưới của nó"}
                    )
            super().save(*args, **kwargs)
            path = f"{parent_path}{self.pk}/"
            old_path = before["path"] if before else self.path
            changed_ids: list[int] = []
            if path != old_path:
                depth = path.count("/") - 2
                if before and old_path:
                    subtree = type(self).objects.filter(path__startswith=old_path)
                    changed_ids = list(subtree.values_list("pk", flat=True))
                    # One UPDATE for the whole subtree: the old prefix is replaced by the new one
                    # (prefix-exact via SUBSTR, the same SQL on SQLite and PostgreSQL).
                    subtree.update(
                        path=Concat(Value(path), Substr("path", len(old_path) + 1, Length("path")),
                                    output_field=models.CharField()),
                        depth=F("depth") + (depth - before["depth"]),
                    )
                else:
                    type(self).objects.filter(pk=self.pk).update(path=path, depth=depth)
                self.path, self.depth = path, depth
            if before and (before["valid_from"], before["valid_to"]) != (self.valid_from, self.valid_to):
                changed_ids = changed_ids or [self.pk]
            if changed_ids:
                org_tree_changed.send(sender=type(self), org_ids=changed_ids)

    def is_active(self, on: date | None = None) -> bool:
        on = on or date.today()
        return self.is_active_during(on, on)

    def is_active_during(self, start: date, end: date) -> bool:
        """Existed for at least part of [start, end] (see active_during for the query form)."""
        if self.valid_from and end < self.valid_from:
            return False
        return not (self.valid_to and start > self.valid_to)

    def is_locality(self) -> bool:
        return self.kind in LOCALITY_KINDS

    def subtree(self):
        return Organisation.objects.filter(path__startswith=self.path)

    def ancestors(self):
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        return Organisation.objects.filter(pk__in=ids).order_by("depth")

    def contains(self, other: "Organisation") -> bool:
        return other.path.startswith(self.path)


class OrgAlias(models.Model):
    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases", verbose_name="tổ chức")
    alias = models.CharField("cách viết", max_length=255)
    key = models.CharField("khóa so khớp", max_length=255, db_index=True)
    source = models.CharField("nguồn", max_length=120, blank=True)

    class Meta:
        verbose_name = "tên gọi khác"
        verbose_name_plural = "tên gọi khác"
        constraints = [models.UniqueConstraint(fields=["org", "key"], name="orgalias_org_key_unique")]

    def __str__(self) -> str:
        return f"{self.alias} → {self.org}"


class OrgSuccession(models.Model):
    """An organisation ended and (part of) its area or duties passed to another."""

    predecessor = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="successions", verbose_name="đơn vị cũ"
    )
    successor = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="predecessions", verbose_name="đơn vị kế thừa"
    )
    effective = models.DateField("ngày hiệu lực")
    detail = models.TextField("chi tiết", blank=True)
    source = models.CharField("nguồn", max_length=255, blank=True)

    class Meta:
        verbose_name = "kế thừa"
        verbose_name_plural = "kế thừa"
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="orgsuccession_unique")
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} (từ {self.effective:%d/%m/%Y})"


class OrgChangeKind(models.TextChoices):
    CREATE = "create", "Thành lập"
    RENAME = "rename", "Đổi tên"
    MOVE = "move", "Chuyển đơn vị cấp trên"
    END = "end", "Kết thúc hoạt động"
    MERGE = "merge", "Hợp nhất, sáp nhập"
    SPLIT = "split", "Chia tách"
    EDIT = "edit", "Sửa thông tin"


class OrgChange(models.Model):
    """One reorganisation of one unit, written by the orgs services: what changed, from which
    day, who did it and why (a typed reason or the deciding document's reference)."""

    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="changes", verbose_name="tổ chức")
    kind = models.CharField("loại thay đổi", max_length=16, choices=OrgChangeKind.choices)
    effective = models.DateField("ngày hiệu lực")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người thực hiện"
    )
    reason = models.TextField("lý do thay đổi")
    before = models.JSONField("trước", default=dict, blank=True)
    after = models.JSONField("sau", default=dict, blank=True)
    related = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name="đơn vị liên quan (kế thừa, hợp nhất)"
    )
    recorded_at = models.DateTimeField("thời điểm ghi", default=timezone.now)

    class Meta:
        verbose_name = "thay đổi tổ chức"
        verbose_name_plural = "thay đổi tổ chức"
        ordering = ["-effective", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.org} – {self.effective:%d/%m/%Y}"


class Role(models.TextChoices):
    REPORTER = "reporter", "Cán bộ báo cáo"
    APPROVER = "approver", "Lãnh đạo đơn vị (duyệt)"
    SUPERVISOR = "supervisor", "Cơ quan thường trực"
    LEADER = "leader", "Lãnh đạo"
    ADMIN = "admin", "Quản trị"
    IMPORTER = "importer", "Cán bộ nhập văn bản"


class Membership(models.Model):
    """A user's role, acting for `org`, over the subtree rooted at `scope`.

    A commune officer: org = scope = the commune. The Sở KH&CN supervisor: org = Sở KH&CN,
    scope = the province."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name="người dùng"
    )
    org = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name="đơn vị (làm việc cho)"
    )
    scope = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="scoped_memberships", verbose_name="phạm vi (cây đơn vị)"
    )
    role = models.CharField("vai trò", max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "scope", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.scope}"
