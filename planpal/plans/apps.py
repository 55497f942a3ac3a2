from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "planpal.plans"
    label = "plans"
