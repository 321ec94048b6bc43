"""Organisation tree, aliases, history (validity + successors) and memberships."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

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
        self.search_key = search_key(self.name)
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else "/"
        path = f"{parent_path}{self.pk}/"
        if path != self.path:
            self.path = path
            self.depth = path.count("/") - 2
            type(self).objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)

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


class Role(models.TextChoices):
    REPORTER = "reporter", "Cán bộ báo cáo"
    APPROVER = "approver", "Lãnh đạo đơn vị (duyệt)"
    SUPERVISOR = "supervisor", "Cơ quan thường trực"
    LEADER = "leader", "Lãnh đạo"
    ADMIN = "admin", "Quản trị"


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
