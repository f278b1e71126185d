from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "chumchon.matching"
    label = "matching"
    verbose_name = "Programmes, budgets and matching"
