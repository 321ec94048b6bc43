from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "planwatch.orgs"
    label = "orgs"
