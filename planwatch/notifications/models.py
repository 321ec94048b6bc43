"""In-app notifications: one row per person told about something. Written only by
`services.notify` (and marked read by `services.mark_read`); e-mail goes through the
existing outbox (reporting.OutboxMessage) beside it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


# Words shown for the kinds this project sends; other kinds show as "Thông báo".
KIND_LABELS = {
    "reminder": "Nhắc nộp báo cáo",
    "deadline": "Sắp đến hạn",
    "submitted": "Đã gửi báo cáo",
    "sent_back": "Chuyển lại để hoàn thiện",
    "returned": "Bị trả lại",
    "accepted": "Đã tiếp nhận",
}


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="người nhận"
    )
    kind = models.CharField("loại", max_length=32, db_index=True)
    title = models.CharField("tiêu đề", max_length=255)
    body = models.TextField("nội dung", blank=True)
    url = models.CharField("liên kết", max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="người thực hiện",
    )
    # The unit the notification is about (a reminder to Xã Thiện Tín), when there is one.
    org = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="đơn vị liên quan",
    )
    # Same non-empty key for the same person = the same notification (sent once).
    key = models.CharField("khóa chống trùng", max_length=200, blank=True)
    created_at = models.DateTimeField("lúc tạo", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("lúc đọc", null=True, blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notif_user_unread")]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~Q(key=""), name="notif_unique_key_per_user")
        ]

    def __str__(self) -> str:
        return f"Thông báo “{self.title}” gửi {self.user}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "Thông báo")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
