"""The match page of a tambon, district or province: the programmes of the year, each
open item's candidates with why (and the others' why not), the latest run explained,
and a form to run again with pairs locked or excluded.

Everything here is aggregate (items, programmes, amounts; never a household), read
where the area is (``area_or_404``); running a match is ``Write.MATCH_RUN``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chumchon.access.permissions import Write, can
from chumchon.access.selectors import area_breadcrumbs_for_user
from chumchon.access.web import actor_from_request, area_or_404
from chumchon.core.thai import arabic_digits, fiscal_year
from chumchon.matching import selectors, services
from chumchon.plans.models import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN

LEVELS = ("province", "district", "tambon")


def _year(request: HttpRequest) -> int:
    text = arabic_digits((request.POST.get("year") or request.GET.get("year") or "").strip())
    if text.isdigit() and FISCAL_YEAR_MIN <= int(text) <= FISCAL_YEAR_MAX:
        return int(text)
    return fiscal_year(timezone.localdate()) + 1  # the year the negotiation forum budgets for


def _pairs(request: HttpRequest, name: str) -> list[services.PairChoice]:
    """``lock`` / ``exclude`` checkboxes: ``ITEM:PROGRAMME``; a lock's amount in ``amount-ITEM-PROGRAMME``."""
    out = []
    for value in request.POST.getlist(name):
        item, _sep, programme = value.partition(":")
        if not (item.isdigit() and programme.isdigit()):
            continue
        amount = None
        text = arabic_digits(request.POST.get(f"amount-{item}-{programme}", "")).replace(",", "").strip()
        if name == "lock" and text:
            try:
                amount = Decimal(text).quantize(Decimal("0.01"))
            except InvalidOperation:
                amount = None
        out.append(services.PairChoice(int(item), int(programme), amount))
    return out


@require_http_methods(["GET", "POST"])
def match_page(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request, code)
    if area.level not in LEVELS:
        raise Http404
    year = _year(request)
    can_run = can(request.user, Write.MATCH_RUN, area.code)
    if request.method == "POST":
        if not can_run:
            raise Http404
        try:
            run = services.match_run(
                actor=actor_from_request(request), area=area, fiscal_year=year,
                locks=_pairs(request, "lock"), excludes=_pairs(request, "exclude"),
            )  # fmt: skip
        except services.MatchingError as error:
            messages.error(request, str(error))
        else:
            if run.status == "infeasible":
                messages.error(request, _("The locked pairs cannot all hold; nothing was allocated. Unlock some."))
            else:
                messages.success(request, _("The match is done and kept."))
        return redirect(f"{reverse('matching:area', args=[area.code])}?year={year}")
    inputs = selectors.match_inputs_for(request.user, area, year)
    runs = list(selectors.match_runs_for_user(request.user, area, year)[:10])
    latest = runs[0] if runs else None
    paid: dict[int, list[dict[str, Any]]] = {}
    if latest is not None:
        for a in latest.result.get("allocations", []):
            paid.setdefault(a["item"], []).append(a)
    locked = {(c["item"], c["programme"]) for c in latest.locks} if latest else set()
    excluded = {(c["item"], c["programme"]) for c in latest.excludes} if latest else set()
    rows = []
    for pk, item in inputs.items.items():
        candidates = [
            {"programme": p, "cap": inputs.caps[(pk, p.pk)], "why": inputs.reasons(pk, p.pk),
             "key": f"{pk}:{p.pk}", "locked": (pk, p.pk) in locked, "excluded": (pk, p.pk) in excluded}
            for p in inputs.candidates(pk)
        ]  # fmt: skip
        rows.append(
            {
                "item": item,
                "candidates": candidates,
                "why_not": inputs.why_not.get(pk, []),
                "paid": paid.get(pk, []),
                "unfunded": None if pk in paid or latest is None else inputs.unfunded_reasons(pk),
            }
        )
    spent: dict[str, Decimal] = {}
    if latest is not None:
        for a in latest.result.get("allocations", []):
            spent[a["programme"]] = spent.get(a["programme"], Decimal(0)) + Decimal(str(a["amount"]))
    programmes = [(p, spent.get(p.code, Decimal(0))) for p in inputs.programmes.values()]
    context = {
        "area": area,
        "crumbs": area_breadcrumbs_for_user(request.user, area, include_self=True),
        "year": year,
        "years": list(range(year - 2, year + 3)),
        "rows": rows,
        "programmes": programmes,
        "latest": latest,
        "runs": runs,
        "can_run": can_run,
    }
    return render(request, "matching/match.html", context)
