"""The area dashboard: what a village, tambon, district or province's accounts say over a
span of months, every number a link to the rows behind it (for readers who may see them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from chumchon.access.scope import scope_of
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.web import area_or_404
from chumchon.areas.models import CHILD_LEVEL, Area, Level
from chumchon.core.cache import kept_in_both
from chumchon.core.thai import MONTHS_EN_SHORT, MONTHS_TH_SHORT, Month, to_be
from chumchon.insights.cache import cache_key, dashboard_for_user
from chumchon.insights.coverage import coverage_warning
from chumchon.insights.dashboard import INCOME, Dashboard, MonthPoint
from chumchon.insights.views.common import Span, published_span, span_from
from chumchon.ledgers.selectors import (
    area_month_coverage,
    default_month_of,
    default_month_window,
)

CHART_HEIGHT = 120  # the trend chart's view box: 24 units a month, 120 high
SLOT = 24
MIN_SLOTS = 12  # a short span keeps the bars a year's width, on the left


@dataclass(frozen=True)
class TrendBar:
    """One month of the trend chart: its label and the two bars (view-box units)."""

    point: MonthPoint
    label: str  # ม.ค.
    year: str  # 2567 on the first month and every January, else ""
    show_label: bool
    income: Decimal | None  # per household that month
    expense: Decimal | None
    x: int
    income_height: float
    expense_height: float

    @property
    def income_y(self) -> float:
        return round(CHART_HEIGHT - self.income_height, 1)

    @property
    def expense_y(self) -> float:
        return round(CHART_HEIGHT - self.expense_height, 1)


def _per_household(total: Decimal | None, given: Decimal | None, reporting: int | None) -> Decimal | None:
    if given is not None:
        return given
    if total is None or not reporting:
        return None
    return (total / reporting).quantize(Decimal("0.01"))


def trend_bars(points: list[MonthPoint]) -> list[TrendBar]:
    """Income and expense per reporting household, month by month, as bar geometry.

    Bars, not a line: a month without accounts is a gap, not a fall to zero.
    """
    thai = (translation.get_language() or "th").startswith("th")
    names = MONTHS_TH_SHORT if thai else MONTHS_EN_SHORT
    values = [
        (
            _per_household(p.income, p.income_per_household, p.reporting),
            _per_household(p.expense, p.expense_per_household, p.reporting),
        )
        for p in points
    ]
    top = max((v for pair in values for v in pair if v is not None and v > 0), default=Decimal(0))
    every = 1 if len(points) <= 13 else 3 if len(points) <= 36 else 6

    def height(v: Decimal | None) -> float:
        if v is None or v <= 0 or not top:
            return 0.0
        return round(float(v / top) * (CHART_HEIGHT - 4), 1)

    bars = []
    for i, (p, (income, expense)) in enumerate(zip(points, values, strict=True)):
        month: Month = p.month
        bars.append(
            TrendBar(
                point=p,
                label=names[month.month - 1],
                year=str(to_be(month.year)) if i == 0 or month.month == 1 else "",
                show_label=i % every == 0,
                income=income,
                expense=expense,
                x=i * SLOT,
                income_height=height(income),
                expense_height=height(expense),
            )
        )
    return bars


def _forum_level(d: Dashboard) -> bool:
    return d.level in (Level.VILLAGE, Level.TAMBON)


def _body_context(request: HttpRequest, area: Area, span: Span) -> dict[str, object]:
    d = dashboard_for_user(request.user, area, span.start, span.end)
    scope = scope_of(request.user)
    # Under half of the households reported in the span's last month (or this month, for
    # a span reaching into the future): said at the top. A reader under the small-cell
    # rule gets the numbers only where the page shows that month's households itself.
    # One count for both: the month's coverage, and the default month the pack buttons
    # offer first (the area's closed or complete month when the span holds it).
    window = default_month_window()
    this_month = window[-1]
    month = min(span.end, this_month)
    coverage = area_month_coverage(area.code, [*window, month])
    default = default_month_of(coverage, this_month).month
    point = next((p for p in d.trend if p.month == month), None)
    person_level = scope.can_read_persons_in(area.code)
    shown = person_level or (point is not None and point.reporting is not None and d.households is not None)
    lang = "th" if (translation.get_language() or "th").startswith("th") else "en"
    return {
        "coverage_warning": coverage_warning(coverage[month], show_numbers=shown, lang=lang),
        "pack_month": default if span.start <= default <= span.end else month,
        "area": area,
        "span": span,
        "month_choices": span.choices(),
        "d": d,
        "can_trace": scope.can_read_persons_in(area.code) and not d.suppressed,
        "trend": trend_bars(d.trend),
        "chart_width": max(len(d.trend), MIN_SLOTS) * SLOT,
        "chart_columns": max(len(d.trend), MIN_SLOTS),
        "chart_height": CHART_HEIGHT,
        "child_level": CHILD_LEVEL.get(Level(area.level)),
        "map_figure": INCOME,
        "forum": _forum_level(d),
        "compare_main": [c for c in d.comparisons if c.flagged or not c.key.startswith("category:")],
        "compare_more": [c for c in d.comparisons if not c.flagged and c.key.startswith("category:")],
    }


@require_GET
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    span = span_from(request.GET, area.code)
    if not scope_of(request.user).can_read_persons_in(area.code):
        span = published_span(span)  # an aggregate-only reader: published periods only
    # The body is the same for every reader of one class (person-level or aggregate-only)
    # at the same data versions: rendered once and kept (chumchon.insights.cache).
    # (A month closed or reopened bumps the rollups' version: the pack's default month.)
    key = cache_key(
        "dashboard-body", request.user, area.code, span.start, span.end, request.GET.urlencode(), timezone.localdate()
    )
    body = kept_in_both(
        key,
        lambda: render_to_string("insights/_dashboard_body.html", _body_context(request, area, span), request=request),
    )
    partial = request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "dashboard-body"
    if partial:
        response = HttpResponse(body)
    else:
        context = {"area": area, "body": mark_safe(body), "crumbs": area_breadcrumbs_for_user(request.user, area)}  # noqa: S308 - rendered by our template
        response = render(request, "insights/dashboard.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response
