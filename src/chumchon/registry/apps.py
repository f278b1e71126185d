from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "chumchon.registry"
    label = "registry"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from chumchon.registry.models import Debt, Household

        post_save.connect(_household_written, sender=Household, dispatch_uid="registry-version-household-save")
        post_delete.connect(_household_written, sender=Household, dispatch_uid="registry-version-household-delete")
        post_save.connect(_debt_written, sender=Debt, dispatch_uid="registry-version-debt-save")
        post_delete.connect(_debt_written, sender=Debt, dispatch_uid="registry-version-debt-delete")


def _household_written(instance: object, **_: object) -> None:
    """One household saved or deleted: its province's version, and the one it was read
    in if it moved (``registry.versions``)."""
    from chumchon.registry.versions import registry_touch

    registry_touch([getattr(instance, "province_code", ""), getattr(instance, "_province_read", None) or ""])


def _debt_written(instance: object, **_: object) -> None:
    """One debt saved or deleted: its household's province's version. A debt deleted with
    its household: the household's own delete bumps it."""
    from chumchon.registry.models import Household
    from chumchon.registry.versions import registry_touch

    household_id = getattr(instance, "household_id", None)
    if household_id is None:
        return
    registry_touch(Household.objects.filter(pk=household_id).values_list("province_code", flat=True))
