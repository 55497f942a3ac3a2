from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "planpal.places"
    label = "places"
