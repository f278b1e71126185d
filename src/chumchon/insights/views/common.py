"""What the insights pages share: the scoped area, the span of months, figure links."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from chumchon.core.thai import Month, fiscal_year, fiscal_year_months, months_between
from chumchon.insights import disclosure
from chumchon.insights.dashboard import FIGURES, UnknownFigure, figure_spec
from chumchon.ledgers.selectors import area_default_month, area_months_with_data

DEFAULT_MONTHS = 12
MAX_MONTHS = 120  # ten years: longer spans are cut to the latest ten years


@dataclass(frozen=True)
class Span:
    """The months the page shows, and the months the picker offers."""

    start: Month
    end: Month
    first_data: Month | None
    last_data: Month | None
    is_default: bool

    @property
    def months(self) -> int:
        return len(months_between(self.start, self.end))

    @property
    def params(self) -> dict[str, str]:
        return {"from": self.start.iso(), "to": self.end.iso()}

    @property
    def query(self) -> str:
        return urlencode(self.params)

    def choices(self) -> list[Month]:
        """The picker's months, newest first: from the first month with data (or two
        years back) to this month, always including the span shown."""
        today = Month.of(timezone.localdate())
        low = min(m for m in (self.first_data, self.start, today.add(-23)) if m is not None)
        high = max(m for m in (self.last_data, self.end, today) if m is not None)
        return list(reversed(months_between(max(low, high.add(-MAX_MONTHS + 1)), high)))

    def shortcuts(self) -> list[tuple[int, str]]:
        """Spans of the last 3, 6 and 12 months ending with the span's end: (months, query)."""
        return [(n, urlencode({"from": self.end.add(-(n - 1)).iso(), "to": self.end.iso()})) for n in (3, 6, 12)]


def _month(value: str | None) -> Month | None:
    if not value:
        return None
    try:
        return Month.parse(value)
    except ValueError:
        return None


def span_from(params: QueryDict, area_code: str) -> Span:
    """``?from=&to=`` (``YYYY-MM``, Buddhist or Common Era years); by default the twelve
    months ending with the area's last closed or complete month (``area_default_month``:
    never a month a single early line opened)."""
    first_data, last_data = area_months_with_data(area_code)
    start, end = _month(params.get("from")), _month(params.get("to"))
    is_default = start is None and end is None
    if end is None:
        end = area_default_month(area_code).month if start is None else start.add(DEFAULT_MONTHS - 1)
        if last_data and start is not None and start <= last_data < end:
            end = last_data
    if start is None:
        start = end.add(-(DEFAULT_MONTHS - 1))
    if start > end:
        start, end = end, start
    if len(months_between(start, end)) > MAX_MONTHS:
        start = end.add(-(MAX_MONTHS - 1))
    return Span(start=start, end=end, first_data=first_data, last_data=last_data, is_default=is_default)


def parse_figure(params: QueryDict) -> tuple[str, str | None]:
    """``?figure=category&category=C08`` or the picker's ``?figure=category:C08``.

    Raises ``UnknownFigure`` for a key that does not exist or lacks its category.
    """
    figure = params.get("figure", "")
    category = params.get("category") or None
    if ":" in figure:
        figure, category = figure.split(":", 1)
    spec = FIGURES.get(figure)
    if spec is None:
        raise UnknownFigure(figure)
    if not spec.needs_category and figure not in ("debt",):
        category = None
    figure_spec(figure, category)
    if category is not None and (len(category) > 8 or not category.isalnum()):
        raise UnknownFigure(category)
    return figure, category


def figure_key(figure: str, category: str | None) -> str:
    """The picker's value for a figure: ``income``, ``category:C08``."""
    return f"{figure}:{category}" if category else figure


def rows_url(area_code: str, span: Span, figure: str, category: str | None = None, **extra: str) -> str:
    params = {**span.params, "figure": figure, **({"category": category} if category else {}), **extra}
    return f"{reverse('insights:rows', args=[area_code])}?{urlencode(params)}"


def published_span(span: Span) -> Span:
    """The span an aggregate-only reader gets (``insights.disclosure``): the span itself
    when it is a month, a fiscal quarter or a fiscal year, else the fiscal year of its
    last month."""
    if disclosure.is_published(span.start, span.end):
        return span
    months = fiscal_year_months(fiscal_year(span.end.first_day))
    return dataclasses.replace(span, start=months[0], end=months[-1], is_default=False)
