"""What the registry pages share: the household a user may see (or keep), and the
current needs indicators."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from chumchon.access.permissions import Write, can
from chumchon.registry.models import Household, Indicator, IndicatorEdition
from chumchon.registry.selectors import household_get_for_user


def _household(request: HttpRequest, pk: int, *, write: Write | None = None) -> Household:
    """The household in the user's read scope; with ``write``, also where they may do it."""
    try:
        household = household_get_for_user(request.user, pk)
    except Household.DoesNotExist:
        raise Http404 from None
    if write is not None and not can(request.user, write, household.village_id):
        raise Http404
    return household


def _current_indicators() -> list[Indicator]:
    edition = IndicatorEdition.objects.filter(is_current=True).first()
    return list(edition.indicators.order_by("sort_order")) if edition else []
