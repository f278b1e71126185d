from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "chumchon.insights"
    label = "insights"

    def ready(self) -> None:
        from chumchon.insights.warm import dashboards_warm_schedule
        from chumchon.ledgers.signals import rollups_changed
        from chumchon.registry.signals import registry_changed

        rollups_changed.connect(dashboards_warm_schedule, dispatch_uid="insights-warm-rollups")
        registry_changed.connect(dashboards_warm_schedule, dispatch_uid="insights-warm-registry")
