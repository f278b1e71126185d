from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "chumchon.areas"
    label = "areas"
