"""Dashboard numbers as links to the rows behind them.

``{% fig value unit figure category %}`` prints a figure's value for its unit (``฿1,234``,
``1,234``, ``12.5%``) and, when the reader may see person-level rows here
(``can_trace`` in the context), links it to ``insights:rows``. A value the reader may
not see (``None``) prints as a dash; aggregate-only readers never get a link.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from chumchon.core.thai import Month
from chumchon.insights.dashboard import FIGURES
from chumchon.insights.maps import format_value

register = template.Library()


@register.simple_tag(takes_context=True)
def fig(
    context: template.Context,
    value: Decimal | int | None,
    unit: str,
    figure: str = "",
    category: str | None = None,
    month: Month | None = None,
) -> SafeString:
    text = format_value(value, unit)
    if value is None:
        return format_html('<span class="nil" title="{}">—</span>', _("no data, or fewer than 5 households"))
    area = context.get("area")
    span = context.get("span")
    if not figure or not context.get("can_trace") or area is None or span is None:
        return format_html("<span>{}</span>", text)
    params: dict[str, str] = dict(span.params)
    if month is not None:
        params = {"from": month.iso(), "to": month.iso()}
    params["figure"] = figure
    if category:
        params["category"] = str(category)
    href = f"{reverse('insights:rows', args=[area.code])}?{urlencode(params)}"
    return format_html(
        '<a class="fig" href="{}" title="{}">{}</a>', href, _("Show the households behind this number"), text
    )


@register.filter
def share(value: Decimal | None) -> str:
    """0.1234 → ``12.3%``."""
    return format_value(value, "share")


@register.filter
def bar_width(value: Decimal | int | None, largest: Decimal | int | None) -> str:
    """A CSS percentage width of ``value`` against ``largest`` (0 for none or negative)."""
    if value is None or not largest or value <= 0:
        return "0"
    return f"{min(100.0, float(value) / float(largest) * 100):.1f}"


@register.filter
def money(value: Decimal | None) -> str:
    """Whole baht with its sign: ``฿1,235``, ``-฿40``; ``—`` for none."""
    return format_value(value, "money")


@register.filter
def signed_share(value: Decimal | None) -> str:
    """+0.35 → ``+35%``; -0.2 → ``−20%``."""
    if value is None:
        return "—"
    percent = (Decimal(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "+" if percent > 0 else "−" if percent < 0 else ""
    return f"{sign}{abs(percent):,}%"


@register.simple_tag
def largest(rows: Any, attribute: str) -> Decimal | int:
    """The largest non-empty ``attribute`` of ``rows`` (for bar widths)."""
    values = [getattr(r, attribute) for r in rows if getattr(r, attribute) is not None]
    return max(values, default=0)


@register.simple_tag(takes_context=True)
def fig_key(context: template.Context, value: Decimal | int | None, key: str, unit: str = "") -> SafeString:
    """``fig`` for a comparison key (``income``, ``category:C08``): its unit and its link."""
    figure, _sep, category = key.partition(":")
    spec = FIGURES.get(figure)
    return fig(context, value, unit or (spec.unit if spec else "money_phm"), figure if spec else "", category or None)


@register.filter
def nonzero(lines: Any) -> list[Any]:
    """The lines with something on them (a hidden amount counts as something)."""
    return [line for line in lines if getattr(line, "total", None) is None or line.total != 0]
