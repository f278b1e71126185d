from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "chumchon.insights"
    label = "insights"
