"""A tambon's to-do list: what is waiting for someone who may act on it, each with its
count and the page that deals with it.

It sits here, above the apps whose work it counts (ledgers, registry, imports), because
the tambon page (``areas``) sits below them all: the page loads the list from
``insights:todo``. Every count comes from its owning app's selectors and only for what
the reader may do there (``access.permissions.can``); a reader who may act on nothing
gets an empty list.

- **Lines waiting for a category**: imported lines whose category someone must confirm.
- **Duplicate pairs waiting**: open candidates of the registry's duplicates queue.
- **Households not yet reported this month**: of the households whose accounts the reader
  may key, those without a line in the calendar month.
- **Months ready to close**: a village's ended month of the last twelve that is complete
  (``ledgers.selectors.MonthCoverage.complete``) and not closed.
- **Verifications gone stale**: households last verified more than a year ago
  (``registry.selectors.STALE_AFTER_DAYS``).
- **Failed imports**: imports that failed or were refused, not since redone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chumchon.access.permissions import Write, can
from chumchon.areas.models import Area
from chumchon.core.thai import Month, months_between
from chumchon.imports.selectors import import_jobs_failed_for_user
from chumchon.ledgers.imports import pending_lines_count
from chumchon.ledgers.selectors import households_not_reported_count_for_user, months_ready_to_close
from chumchon.registry.selectors import (
    STALE_AFTER_DAYS,
    duplicates_open_count_for_user,
    verifications_stale_count,
)

CLOSE_WINDOW_MONTHS = 12  # the completeness page's twelve months


@dataclass(frozen=True)
class TodoItem:
    key: str  # review, duplicates, unreported, close, stale, imports
    label: str
    count: int
    url: str
    action: str  # the link's text
    note: str = ""


def tambon_todo_for_user(user: object, tambon: Area, *, today: dt.date | None = None) -> list[TodoItem]:
    """The items ``user`` may act on in ``tambon`` (scoped by the caller: ``area_or_404``)."""
    today = today or timezone.localdate()
    this_month = Month.of(today)
    code = tambon.code
    items: list[TodoItem] = []
    if can(user, Write.LEDGER_REVIEW, code):
        items.append(
            TodoItem(
                "review", _("Lines waiting for a category"), pending_lines_count(code),
                reverse("ledgers:review", args=[code]), _("Review suggested categories"),
            )
        )  # fmt: skip
    if can(user, Write.REGISTRY_EDIT, code):
        items.append(
            TodoItem(
                "duplicates", _("Duplicate pairs waiting"), duplicates_open_count_for_user(user, code),
                reverse("registry:duplicates"), _("Possible duplicates"),
            )
        )  # fmt: skip
    missing, writable = households_not_reported_count_for_user(user, code, this_month)
    if writable:
        items.append(
            TodoItem(
                "unreported",
                _("Households not yet reported in %(month)s") % {"month": this_month.label()},
                missing,
                reverse("ledgers:phone"),
                _("Enter accounts"),
                note=_("of %(n)s households") % {"n": f"{writable:,}"},
            )
        )
    if can(user, Write.MONTH_CLOSE, code):
        window = months_between(this_month.add(-(CLOSE_WINDOW_MONTHS - 1)), this_month)
        ready = months_ready_to_close(code, window, today=today)
        items.append(
            TodoItem(
                "close", _("Months ready to close"), len(ready),
                reverse("ledgers:completeness", args=[code]), _("Accounts received"),
                note=_("a village's month, at least half of its households reported"),
            )
        )  # fmt: skip
    if can(user, Write.REGISTRY_EDIT, code):
        items.append(
            TodoItem(
                "stale", _("Verifications gone stale"), verifications_stale_count(code),
                reverse("registry:verification", args=[code]), _("Verification"),
                note=_("verified more than %(days)s days ago") % {"days": STALE_AFTER_DAYS},
            )
        )  # fmt: skip
    if can(user, Write.IMPORT, code):
        items.append(
            TodoItem(
                "imports", _("Failed imports"), import_jobs_failed_for_user(user, code).count(),
                reverse("imports:page", args=[code]), _("Import from a spreadsheet"),
            )
        )  # fmt: skip
    return items
