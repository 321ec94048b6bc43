from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "planwatch.documents"
    label = "documents"
