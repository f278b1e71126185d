from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "chumchon.registry"
    label = "registry"
