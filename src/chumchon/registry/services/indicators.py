"""Needs indicators (TPMAP's five dimensions) and the target-household rule.

Editions ship as JSON under ``registry/data/indicators/``; ``chumchon init`` loads them
and makes the newest current unless an administrator chose another. A household fails
a dimension when it fails any of that dimension's indicators; a *target household*
fails at least one dimension and holds the state welfare card.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from django.conf import settings
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
from chumchon.registry.versions import registry_touch


def _edition_files() -> list[Traversable]:
    """The shipped editions, then a deployment's own (settings.INDICATOR_EDITIONS_DIR)."""
    folders: list[Traversable] = [resources.files("chumchon.registry").joinpath("data/indicators")]
    if settings.INDICATOR_EDITIONS_DIR:
        folders.append(Path(settings.INDICATOR_EDITIONS_DIR))
    return [p for folder in folders for p in sorted(folder.iterdir(), key=lambda p: p.name) if p.name.endswith(".json")]


def indicator_editions_load() -> int:
    """Load every edition (idempotent); returns how many indicators were added. The
    first edition loaded becomes current until an administrator chooses another."""
    added = 0
    files = _edition_files()
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
            first = json.loads(files[0].read_text(encoding="utf-8"))["code"]
            IndicatorEdition.objects.filter(code=first).update(is_current=True)
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


def household_indicators_record(*, actor: Actor, household: Household, answers: Mapping[str, bool | None]) -> Household:
    """Record a needs survey: for each indicator code of the current edition, failed
    (True), met (False) or not asked (None — an answer recorded before is withdrawn, and
    the history keeps what it was). Codes left out of ``answers`` keep their answers."""
    _require_write(actor, household.village_id)
    edition = current_edition()
    indicators = {i.code: i for i in edition.indicators.all()}
    unknown = sorted(set(answers) - set(indicators))
    if unknown:
        raise RegistryError(f"ไม่มีตัวชี้วัดรหัส {', '.join(unknown)} ในชุด {edition.code}")
    now = timezone.now()
    wanted = {code: (None if value is None else bool(value)) for code, value in answers.items()}
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        answered = locked.indicators.filter(indicator__edition=edition).select_related("indicator")
        before = {a.indicator.code: a.failed for a in answered}
        changed = {code: value for code, value in wanted.items() if before.get(code) != value}
        # an unchanged answer is not touched: when and by whom it was given stays as it was
        withdrawn = [indicators[code] for code, value in changed.items() if value is None]
        if withdrawn:
            HouseholdIndicator.objects.filter(household=locked, indicator__in=withdrawn).delete()
        for code, value in changed.items():
            if value is None:
                continue
            HouseholdIndicator.objects.update_or_create(
                household=locked,
                indicator=indicators[code],
                defaults={"failed": value, "recorded_at": now, "recorded_by": actor.user},
            )
        flags = [*DIMENSION_FIELDS.values(), "dimensions_failed", "is_target"]
        was = [getattr(locked, name) for name in flags]
        dimensions_recompute(locked)
        if [getattr(locked, name) for name in flags] != was:
            locked.save()  # a survey saved unchanged writes nothing (nor bumps the registry's version)
        if changed:
            HouseholdChange.objects.create(
                household=locked,
                at=now,
                by=actor.user,
                kind=HouseholdChange.Kind.INDICATORS,
                before={c: before.get(c) for c in changed},
                after=changed,
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


def indicator_edition_activate(*, actor: Actor, code: str) -> int:
    """Make another edition current and recompute every household's dimensions under it.
    Returns the number of households recomputed."""
    edition = IndicatorEdition.objects.filter(code=code).first()
    if edition is None:
        raise RegistryError(f"ไม่มีชุดตัวชี้วัดรหัส {code}")
    with transaction.atomic():
        IndicatorEdition.objects.filter(is_current=True).update(is_current=False)
        IndicatorEdition.objects.filter(code=code).update(is_current=True)
        changed = 0
        batch: list[Household] = []
        fields = [*DIMENSION_FIELDS.values(), "dimensions_failed", "is_target"]
        for household in Household.objects.order_by("pk").iterator(chunk_size=2000):
            dimensions_recompute(household)
            batch.append(household)
            if len(batch) >= 2000:
                Household.objects.bulk_update(batch, fields)
                changed += len(batch)
                batch = []
        Household.objects.bulk_update(batch, fields)
        changed += len(batch)
        registry_touch(Household.objects.values_list("province_code", flat=True).distinct().order_by())
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="indicator_edition",
            object_id=code,
            detail={"households": changed},
        )
    return changed
