from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def percent(value: Decimal | None) -> str:
    """A share 0..1 as ``12.3%``; a dash for "not shown"."""
    if value is None:
        return "–"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1'))}%"


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, "")
