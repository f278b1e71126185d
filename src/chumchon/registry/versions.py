"""The registry's version under an area, for results kept in a cache."""

from __future__ import annotations

from django.db.models import Count, Max, Q

from chumchon.areas.models import under_q
from chumchon.registry.models import Debt, Household


def registry_version(area_code: str, *, debts: bool = True) -> str:
    """A fingerprint of the registry at or under an area (``""``: the whole country)
    that any write of its households or (``debts``) of their debt records changes: how
    many rows, the newest id, the newest change. One or two indexed aggregates; a result
    computed from the registry is kept under it, with no time-to-live. ``debts=False``
    for results that read no debt (the household counts)."""
    where = under_q(area_code, village_field="village_id") if area_code else Q()
    h = Household.objects.filter(where).aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    if not debts:
        return f"{h['n']}.{h['top']}.{h['last'].isoformat() if h['last'] else ''}"
    of_debts = under_q(area_code, prefix="household__", village_field="village_id") if area_code else Q()
    d = Debt.objects.filter(of_debts).aggregate(n=Count("id"), top=Max("id"))
    last = h["last"].isoformat() if h["last"] else ""
    return f"{h['n']}.{h['top']}.{last}.{d['n']}.{d['top']}"
