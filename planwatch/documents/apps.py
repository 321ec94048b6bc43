from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "planwatch.documents"
    label = "documents"
    verbose_name = "Văn bản và xuất báo cáo"
