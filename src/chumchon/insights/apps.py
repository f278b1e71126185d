from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "chumchon.insights"
    label = "insights"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from chumchon.insights.warm import dashboards_warm_schedule
        from chumchon.ledgers.signals import rollups_changed
        from chumchon.registry.models import Debt, Household

        rollups_changed.connect(dashboards_warm_schedule, dispatch_uid="insights-warm-rollups")
        for model in (Household, Debt):
            for signal in (post_save, post_delete):
                signal.connect(
                    dashboards_warm_schedule, sender=model, dispatch_uid=f"insights-warm-{model.__name__}-{signal}"
                )
