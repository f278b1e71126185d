"""Ledger pages: entry — the staff's keyboard grid for one household's monthly paper form
(``grid``), corrections of saved lines (``corrections``), and the volunteers' phone form
with its JSON endpoint (``phone``), the category picker's answers for both
(``picker``); what they share is in ``common``.

Scope: a household is reachable here only if its person-level data may be read *and*
its accounts may be added to (tambon staff, the village's volunteers, administrators);
anything else is the same 404 as a household that does not exist.

Every save is one call of :func:`ledger_entries_add` (one transaction, rollups
included). Each line carries a key made where the line is typed (by the browser, or by
the server for the blank rows it renders), stored as the line's idempotency key, so a
form submitted twice or a phone resending after a dropped connection adds each line once.
"""

from __future__ import annotations

from django.urls import path

from chumchon.ledgers.views.entry.corrections import entry_correct, entry_remove
from chumchon.ledgers.views.entry.grid import entry_grid, entry_household
from chumchon.ledgers.views.entry.phone import (
    phone_fix,
    phone_household,
    phone_households,
    phone_lines_view,
    phone_month,
)
from chumchon.ledgers.views.entry.picker import entry_categories

# (``common`` registers the ``ledger_month`` converter; the modules above import it.)
urlpatterns = [
    path("household/<int:pk>/entry/", entry_household, name="entry_household"),
    path("household/<int:pk>/<ledger_month:month>/", entry_grid, name="entry_grid"),
    path("household/<int:pk>/categories", entry_categories, name="entry_categories"),
    path("entry/<int:entry_id>/correct/", entry_correct, name="entry_correct"),
    path("entry/<int:entry_id>/remove/", entry_remove, name="entry_remove"),
    path("phone/", phone_households, name="phone"),
    path("phone/<int:pk>/", phone_household, name="phone_household"),
    path("phone/<int:pk>/month/<ledger_month:month>/", phone_month, name="phone_month"),
    path("phone/<int:pk>/lines", phone_lines_view, name="phone_lines"),
    path("phone/<int:pk>/lines/<int:entry_id>/fix/", phone_fix, name="phone_fix"),
]
