"""A tambon's community organisation council and community welfare fund, and which
households belong to them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from chumchon.access.models import Action
from chumchon.access.services import Actor, audit_record
from chumchon.areas.models import Area, Level
from chumchon.registry.models import Household, Organisation, OrganisationMembership
from chumchon.registry.services.households import RegistryError, _require_write


def organisation_create(
    *, actor: Actor, tambon: Area, kind: str, name: str, registered_on: dt.date | None = None
) -> Organisation:
    if tambon.level != Level.TAMBON:
        raise RegistryError("องค์กรต้องอยู่ในตำบล")
    _require_write(actor, tambon.code)
    kind = Organisation.Kind(kind)
    name = " ".join(name.split())
    if not name:
        raise RegistryError("ต้องระบุชื่อองค์กร")
    with transaction.atomic():
        if Organisation.objects.filter(tambon=tambon, kind=kind, name=name).exists():
            raise RegistryError(f"มี {name} อยู่แล้ว")
        org = Organisation.objects.create(tambon=tambon, kind=kind, name=name, registered_on=registered_on)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="organisation",
            object_id=org.pk,
            area_code=tambon.code,
            detail={"kind": kind.value},
        )
    return org


def organisation_membership_set(
    *, actor: Actor, organisation: Organisation, household: Household, member: bool, on: dt.date | None = None
) -> None:
    """Join (member=True) or leave a household; leaving keeps the row with its end date."""
    _require_write(actor, household.village_id)
    if household.tambon_code != organisation.tambon_id:
        raise RegistryError("ครัวเรือนต้องอยู่ในตำบลเดียวกับองค์กร")
    with transaction.atomic():
        row = OrganisationMembership.objects.filter(organisation=organisation, household=household).first()
        if member:
            if row is None:
                OrganisationMembership.objects.create(organisation=organisation, household=household, joined_on=on)
            elif row.left_on is not None:
                row.left_on = None
                row.joined_on = on or row.joined_on
                row.save(update_fields=["left_on", "joined_on"])
        elif row is not None and row.left_on is None:
            row.left_on = on or timezone.localdate()
            row.save(update_fields=["left_on"])
        audit_record(
            actor=actor, action=Action.UPDATE, object_type="household", object_id=household.pk,
            area_code=household.village_id, detail={"organisation": organisation.pk, "member": member},
        )  # fmt: skip
