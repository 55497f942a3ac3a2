from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "planpal.files"
    label = "files"
