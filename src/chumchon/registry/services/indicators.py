"""Needs indicators (TPMAP's five dimensions) and the target-household rule.

Editions ship as JSON under ``registry/data/indicators/``; ``chumchon init`` loads them
and makes the newest current unless an administrator chose another. A household fails
a dimension when it fails any of that dimension's indicators; a *target household*
fails at least one dimension and holds the state welfare card.
"""

from __future__ import annotations

import json
from importlib import resources

from django.db import transaction
from django.utils import timezone

from chumchon.access.models import Action
from chumchon.access.services import Actor, audit_record
from chumchon.registry.models import (
    DIMENSION_FIELDS,
    Dimension,
    Household,
    HouseholdChange,
    HouseholdIndicator,
    Indicator,
    IndicatorEdition,
)
from chumchon.registry.services.households import RegistryError, _require_write


def indicator_editions_load() -> int:
    """Load every shipped edition (idempotent); returns how many indicators were added."""
    added = 0
    folder = resources.files("chumchon.registry").joinpath("data/indicators")
    files = sorted((p for p in folder.iterdir() if p.name.endswith(".json")), key=lambda p: p.name)
    with transaction.atomic():
        for path in files:
            spec = json.loads(path.read_text(encoding="utf-8"))
            edition, _ = IndicatorEdition.objects.update_or_create(
                code=spec["code"],
                defaults={
                    "name_th": spec["name_th"],
                    "name_en": spec.get("name_en", ""),
                    "source": spec.get("source", ""),
                },
            )
            for order, item in enumerate(spec["indicators"], start=1):
                Dimension(item["dimension"])  # refuse an unknown dimension loudly
                _, created = Indicator.objects.update_or_create(
                    edition=edition,
                    code=item["code"],
                    defaults={
                        "dimension": item["dimension"],
                        "name_th": item["name_th"],
                        "name_en": item.get("name_en", ""),
                        "sort_order": order,
                    },
                )
                added += created
        if files and not IndicatorEdition.objects.filter(is_current=True).exists():
            newest = json.loads(files[-1].read_text(encoding="utf-8"))["code"]
            IndicatorEdition.objects.filter(code=newest).update(is_current=True)
    return added


def current_edition() -> IndicatorEdition:
    edition = IndicatorEdition.objects.filter(is_current=True).first()
    if edition is None:
        raise RegistryError("ยังไม่ได้โหลดชุดตัวชี้วัด (รัน chumchon init)")
    return edition


def dimensions_recompute(household: Household) -> None:
    """Refresh the household's fails_* flags and target status from its answers."""
    edition = IndicatorEdition.objects.filter(is_current=True).first()
    failed_dims = set(
        HouseholdIndicator.objects.filter(household=household, failed=True, indicator__edition=edition).values_list(
            "indicator__dimension", flat=True
        )
    )
    for dimension, field in DIMENSION_FIELDS.items():
        setattr(household, field, dimension.value in failed_dims)
    household.dimensions_failed = len(failed_dims)
    household.is_target = bool(failed_dims) and household.welfare_card


def household_indicators_record(*, actor: Actor, household: Household, answers: dict[str, bool]) -> Household:
    """Record a needs survey: for each indicator code of the current edition, failed or not."""
    _require_write(actor, household.village_id)
    edition = current_edition()
    indicators = {i.code: i for i in edition.indicators.all()}
    unknown = sorted(set(answers) - set(indicators))
    if unknown:
        raise RegistryError(f"ไม่มีตัวชี้วัดรหัส {', '.join(unknown)} ในชุด {edition.code}")
    now = timezone.now()
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        before = {a.indicator.code: a.failed for a in locked.indicators.select_related("indicator")}
        for code, failed in answers.items():
            HouseholdIndicator.objects.update_or_create(
                household=locked,
                indicator=indicators[code],
                defaults={"failed": bool(failed), "recorded_at": now, "recorded_by": actor.user},
            )
        dimensions_recompute(locked)
        locked.save()
        changed = {c: f for c, f in answers.items() if before.get(c) != bool(f)}
        if changed:
            HouseholdChange.objects.create(
                household=locked,
                at=now,
                by=actor.user,
                kind=HouseholdChange.Kind.INDICATORS,
                before={c: before.get(c) for c in changed},
                after={c: bool(f) for c, f in changed.items()},
            )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="household",
            object_id=locked.pk,
            area_code=locked.village_id,
            detail={"indicators": sorted(changed)},
        )
    return locked
