from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "planwatch.plans"
    label = "plans"
    verbose_name = "Kế hoạch, chỉ tiêu, nhiệm vụ"

    def ready(self):
        from . import receivers  # noqa: F401  (connects org_ended → transfer of assignments)
