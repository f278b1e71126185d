from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "chumchon.ledgers"
    label = "ledgers"
