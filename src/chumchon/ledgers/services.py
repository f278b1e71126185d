"""Writes of the ledgers app."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

from django.db import transaction

from chumchon.ledgers.models import Category


@dataclass(frozen=True)
class CategoryLoadResult:
    created: int
    updated: int


def categories_load_standard() -> CategoryLoadResult:
    """Load the standard category codes shipped with the package (idempotent)."""
    text = resources.files("chumchon.ledgers").joinpath("data/categories.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    existing = {c.code: c for c in Category.objects.filter(code__in=[r["code"] for r in rows])}
    created = updated = 0
    with transaction.atomic():
        for order, row in enumerate(rows, start=1):
            values = {
                "group": row["group"],
                "kind": row["kind"],
                "name_th": row["name_th"],
                "name_en": row["name_en"],
                "flags": " ".join(row["flags"].split()),
                "is_standard": True,
                "sort_order": order * 10,
            }
            current = existing.get(row["code"])
            if current is None:
                Category.objects.create(code=row["code"], **values)
                created += 1
            elif any(getattr(current, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(current, k, v)
                current.save()
                updated += 1
    return CategoryLoadResult(created=created, updated=updated)
