from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "chumchon.ledgers"
    label = "ledgers"

    def ready(self) -> None:
        # The registry stands below the ledgers and may not import them: its household
        # list asks "who has reported this month?" through this hook.
        from chumchon.ledgers.selectors import households_reported_ids
        from chumchon.registry.selectors import households_reported_source_set

        households_reported_source_set(households_reported_ids)
