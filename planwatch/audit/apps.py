from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "planwatch.audit"
    label = "audit"
    verbose_name = "Lịch sử thay đổi"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401
