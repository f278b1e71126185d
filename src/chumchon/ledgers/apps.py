from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "chumchon.ledgers"
    label = "ledgers"

    def ready(self) -> None:
        # The registry stands below the ledgers and may not import them: it asks who
        # reported, and the rollups' version, through its port (``registry.reports``).
        from chumchon.ledgers.selectors import household_months_reported, households_reported_ids, rollups_version
        from chumchon.registry.reports import ReportsSource, reports_source_set

        reports_source_set(
            ReportsSource(
                household_months=household_months_reported,
                households_in=households_reported_ids,
                version=rollups_version,
            )
        )
