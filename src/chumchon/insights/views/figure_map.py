"""Any dashboard figure as a map of the area's villages, tambons or districts.

The dashboard loads the map as an HTMX fragment (with its own figure picker); without
JavaScript the picker is an ordinary form and this view answers with a whole page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chumchon.access.scope import scope_of
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.web import area_or_404
from chumchon.areas.models import CHILD_LEVEL, Area, Level
from chumchon.insights.dashboard import (
    CATEGORY,
    DEBT_SOURCE,
    FIGURES,
    HOUSEHOLDS,
    OCCUPATION,
    UnknownFigure,
)
from chumchon.insights.maps import figure_map_for_user
from chumchon.insights.views.common import Span, figure_key, parse_figure, published_span, span_from
from chumchon.ledgers.selectors import category_kinds
from chumchon.registry.models import DebtSource, OccupationGroup

# Figures offered on their own; the ones that need a category come as option groups.
NEEDS_CATEGORY = (CATEGORY, DEBT_SOURCE, OCCUPATION)


@dataclass(frozen=True)
class OptionGroup:
    label: str
    options: list[tuple[str, str]]  # (value, label)


def figure_options() -> list[OptionGroup]:
    """The picker: the headline figures, then each income and expense category, each
    debt source and each occupation group."""
    english = (translation.get_language() or "th").startswith("en")
    kinds = category_kinds()  # income here leaves out loans received: a figure of its own

    def options(codes: tuple[str, ...]) -> list[tuple[str, str]]:
        named = (kinds.by_code[code] for code in codes)
        return [(figure_key(CATEGORY, c.code), c.name_en if english and c.name_en else c.name_th) for c in named]

    income, expense = options(kinds.income), options(kinds.expense)
    return [
        OptionGroup(
            _("Figures"), [(key, str(spec.label)) for key, spec in FIGURES.items() if key not in NEEDS_CATEGORY]
        ),
        OptionGroup(_("Income by source, per household per month"), income),
        OptionGroup(_("Spending by category, per household per month"), expense),
        OptionGroup(
            _("Debt outstanding by source"), [(figure_key(DEBT_SOURCE, s.value), str(s.label)) for s in DebtSource]
        ),
        OptionGroup(
            _("Yearly surplus by occupation group"),
            [(figure_key(OCCUPATION, o.value), str(o.label)) for o in OccupationGroup],
        ),
    ]


def _child_link(span: Span) -> Callable[[Area], str]:
    """Each child area's shape or bubble opens its own dashboard for the same months."""
    query = urlencode(span.params)

    def link(child: Area) -> str:
        return f"{reverse('insights:dashboard', args=[child.code])}?{query}"

    return link


@require_GET
def figure_map(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    try:
        figure, category = parse_figure(request.GET) if request.GET.get("figure") else (HOUSEHOLDS, None)
    except UnknownFigure:
        raise Http404 from None
    span = span_from(request.GET, area.code)
    if not scope_of(request.user).can_read_persons_in(area.code):
        span = published_span(span)
    child_level = CHILD_LEVEL.get(Level(area.level))
    picture = None
    if child_level is not None:
        try:
            picture = figure_map_for_user(
                request.user, area, span.start, span.end, figure, category, link=_child_link(span)
            )
        except UnknownFigure:
            raise Http404 from None
    context = {
        "area": area,
        "span": span,
        "spec": FIGURES[figure],
        "selected": figure_key(figure, category),
        "options": figure_options(),
        "picture": picture,
        "child_level": child_level,
    }
    if request.headers.get("HX-Request") == "true":
        response = render(request, "insights/_map.html", context)
    else:
        context["crumbs"] = area_breadcrumbs_for_user(request.user, area)
        response = render(request, "insights/map.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response
