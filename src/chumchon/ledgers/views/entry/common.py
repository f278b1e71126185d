"""What the entry pages share: the household a user may key for, the month in the
address, the category list, new line keys, the one call of the service that saves
lines, and the ``ledger_month`` path converter."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError
from django.http import Http404, HttpRequest
from django.urls import register_converter
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chumchon.access.permissions import Write, can
from chumchon.access.web import actor_from_request
from chumchon.core.thai import Month
from chumchon.ledgers.forms import CategoryIndex
from chumchon.ledgers.models import Category, LedgerEntry
from chumchon.ledgers.selectors import categories_all
from chumchon.ledgers.services import LineInput, ledger_entries_add
from chumchon.registry.models import Household
from chumchon.registry.selectors import household_get_for_user


def household_for_entry(request: HttpRequest, pk: int) -> Household:
    """A household whose accounts the user may add to; 404 otherwise (also when erased)."""
    try:
        household = household_get_for_user(request.user, pk)
    except Household.DoesNotExist:
        raise Http404 from None
    if household.erased_at is not None or not can(request.user, Write.LEDGER_ENTRY, household.village_id):
        raise Http404
    return household


def month_or_404(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError:
        raise Http404 from None


def local_today() -> dt.date:
    return timezone.localdate()


def lang() -> str:
    return "th" if (translation.get_language() or "th").startswith("th") else "en"


def category_index() -> CategoryIndex:
    return CategoryIndex.build(categories_all())


def categories_json(categories: Iterable[Category]) -> list[dict[str, str]]:
    return [{"code": c.code, "th": c.name_th, "en": c.name_en, "kind": c.kind, "group": c.group} for c in categories]


def new_key() -> str:
    return str(uuid.uuid4())


def head_of(household: Household) -> Any:
    return next((m for m in household.members.all() if m.is_head), None)


def add_lines(request: HttpRequest, household: Household, lines: list[LineInput], *, source: str) -> list[LedgerEntry]:
    """One call of the service. If two submissions of the same lines race, the loser hits
    the unique key; its second try finds the lines saved and skips them."""
    actor = actor_from_request(request)
    try:
        return ledger_entries_add(actor=actor, household=household, lines=lines, source=source)
    except IntegrityError:
        return ledger_entries_add(actor=actor, household=household, lines=lines, source=source)


def month_links(month: Month, today: dt.date) -> dict[str, Month | None]:
    current = Month.of(today)
    previous = month.previous() if month > Month(1900, 1) else None
    return {"previous": previous, "next": month.next() if month < current else None}


def closed_message(month: Month) -> str:
    return _("%(month)s is closed for this village: lines cannot be added or changed until it is reopened.") % {
        "month": month.label(lang=lang())
    }


def satang(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


class _MonthConverter:
    """``2024-03`` (a year above 2400 is taken as Buddhist Era and redirected)."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


register_converter(_MonthConverter, "ledger_month")
