from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "planpal.groups"
    label = "groups"
