from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "planwatch.orgs"
    label = "orgs"
    verbose_name = "Tổ chức và phân quyền"
