from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chumchon.core"
    label = "core"
    verbose_name = "Chumchon core"
