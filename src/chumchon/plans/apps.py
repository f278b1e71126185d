from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "chumchon.plans"
    label = "plans"
    verbose_name = "Forums and community plans"
