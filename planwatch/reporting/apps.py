from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "planwatch.reporting"
    label = "reporting"
    verbose_name = "Báo cáo định kỳ"

    def ready(self):
        # relief registers the words of its history events (selectors.EVENT_ACTIONS).
        from . import relief  # noqa: F401
