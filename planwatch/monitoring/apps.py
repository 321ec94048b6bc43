from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "planwatch.monitoring"
    label = "monitoring"
    verbose_name = "Giám sát, đánh giá"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the roll-up receiver)
