"""Ledger pages: entry — the staff's keyboard grid for one household's monthly paper form,
corrections of saved lines, and the volunteers' phone form with its JSON endpoint.

Scope: a household is reachable here only if its person-level data may be read *and*
its accounts may be added to (tambon staff, the village's volunteers, administrators);
anything else is the same 404 as a household that does not exist.

Every save is one call of :func:`ledger_entries_add` (one transaction, rollups
included). Each line carries a key made where the line is typed (by the browser, or by
the server for the blank rows it renders), stored as the line's idempotency key, so a
form submitted twice or a phone resending after a dropped connection adds each line once.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, register_converter, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chumchon.access.models import Action
from chumchon.access.scope import scope_of
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_request
from chumchon.areas.selectors import area_breadcrumbs_for_user
from chumchon.core import thai
from chumchon.core.thai import Month
from chumchon.ledgers.forms import (
    CategoryIndex,
    CorrectionForm,
    GridInput,
    GridRow,
    PayloadError,
    PhoneLine,
    grid_input,
    phone_lines,
    stored_key,
)
from chumchon.ledgers.models import Category, EntrySource, Group, LedgerEntry
from chumchon.ledgers.selectors import (
    categories_all,
    categories_common_in,
    household_neighbours_for_ledger_entry,
    household_search_for_ledger_entry,
    ledger_entry_get_for_writer,
    ledger_keys_saved,
    ledger_month_for_household,
    villages_for_ledger_entry,
)
from chumchon.ledgers.services import (
    LedgerError,
    LineInput,
    ledger_entries_add,
    ledger_entry_correct,
    ledger_entry_reverse,
    month_is_closed,
)
from chumchon.registry.models import Household
from chumchon.registry.selectors import household_get_for_user

BLANK_GRID_ROWS = 8


# --- shared helpers --------------------------------------------------------------------------


def _household_for_entry(request: HttpRequest, pk: int) -> Household:
    """A household whose accounts the user may add to; 404 otherwise (also when erased)."""
    try:
        household = household_get_for_user(request.user, pk)
    except Household.DoesNotExist:
        raise Http404 from None
    if household.erased_at is not None or not scope_of(request.user).can_write_ledger_in(household.village_id):
        raise Http404
    return household


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError:
        raise Http404 from None


def _today() -> dt.date:
    return timezone.localdate()


def _lang() -> str:
    return "th" if (translation.get_language() or "th").startswith("th") else "en"


def _category_index() -> CategoryIndex:
    return CategoryIndex.build(categories_all())


def _categories_json(categories: Iterable[Category]) -> list[dict[str, str]]:
    return [{"code": c.code, "th": c.name_th, "en": c.name_en, "kind": c.kind, "group": c.group} for c in categories]


def _new_key() -> str:
    return str(uuid.uuid4())


def _head_of(household: Household) -> Any:
    return next((m for m in household.members.all() if m.is_head), None)


def _add_lines(request: HttpRequest, household: Household, lines: list[LineInput], *, source: str) -> list[LedgerEntry]:
    """One call of the service. If two submissions of the same lines race, the loser hits
    the unique key; its second try finds the lines saved and skips them."""
    actor = actor_from_request(request)
    try:
        return ledger_entries_add(actor=actor, household=household, lines=lines, source=source)
    except IntegrityError:
        return ledger_entries_add(actor=actor, household=household, lines=lines, source=source)


def _month_links(month: Month, today: dt.date) -> dict[str, Month | None]:
    current = Month.of(today)
    previous = month.previous() if month > Month(1900, 1) else None
    return {"previous": previous, "next": month.next() if month < current else None}


# --- the staff grid ---------------------------------------------------------------------------


@require_GET
def entry_household(request: HttpRequest, pk: int) -> HttpResponse:
    """The grid of the current month (the link other pages use)."""
    household = _household_for_entry(request, pk)
    return redirect("ledgers:entry_grid", pk=household.pk, month=Month.of(_today()).iso())


@require_http_methods(["GET", "POST"])
def entry_grid(request: HttpRequest, pk: int, month: str) -> HttpResponse:
    household = _household_for_entry(request, pk)
    the_month = _month(month)
    if the_month.iso() != month:  # 2567-03 → 2024-03: one address per month
        return redirect("ledgers:entry_grid", pk=household.pk, month=the_month.iso())
    closed = month_is_closed(household.village_id, the_month.first_day)
    if request.method == "GET":
        audit_record(
            actor=actor_from_request(request),
            action=Action.VIEW,
            object_type="household_ledger",
            object_id=household.pk,
            area_code=household.village_id,
            detail={"month": the_month.iso()},
        )
        return _render_grid(request, household, the_month, closed=closed)
    index = _category_index()
    parsed = grid_input(
        request.POST, household_id=household.pk, month=the_month, index=index, today=_today(), new_key=_new_key
    )
    if closed:
        parsed.problems.append(_closed_message(the_month))
    if not parsed.is_valid:
        return _render_grid(request, household, the_month, closed=closed, grid=parsed, index=index)
    try:
        entries = _add_lines(request, household, parsed.lines, source=EntrySource.KEYED)
    except LedgerError as exc:
        parsed.problems.append(str(exc))
        return _render_grid(request, household, the_month, closed=closed, grid=parsed, index=index)
    new, already = len(entries), len(parsed.lines) - len(entries)
    if new:
        messages.success(request, ngettext("%(n)s line saved.", "%(n)s lines saved.", new) % {"n": new})
    if already:
        messages.info(
            request,
            ngettext(
                "%(n)s line had already been saved and was not added again.",
                "%(n)s lines had already been saved and were not added again.",
                already,
            )
            % {"n": already},
        )
    # No #fragment: scrolling to one would take the cursor out of the grid (the script
    # scrolls the grid into view and puts the cursor in the first empty line instead).
    return redirect("ledgers:entry_grid", pk=household.pk, month=the_month.iso())


def _closed_message(month: Month) -> str:
    return _("%(month)s is closed for this village: lines cannot be added or changed until it is reopened.") % {
        "month": month.label(lang=_lang())
    }


def _render_grid(
    request: HttpRequest,
    household: Household,
    month: Month,
    *,
    closed: bool,
    grid: GridInput | None = None,
    index: CategoryIndex | None = None,
    fix_id: int | None = None,
    fix_form: CorrectionForm | None = None,
) -> HttpResponse:
    index = index or _category_index()
    data = ledger_month_for_household(household, month.first_day, month.last_day)
    rows: list[GridRow] = list(grid.rows) if grid else []
    for row in rows:  # show the name of a category typed by code, as the JS does
        if row.category_obj is None and not row.errors.get("category"):
            row.category_obj = index.resolve(row.category)
    rows += [GridRow(key=_new_key()) for _ in range(max(BLANK_GRID_ROWS - len(rows), 2))]
    previous_hh, next_hh = household_neighbours_for_ledger_entry(request.user, household)
    links = _month_links(month, _today())
    household = Household.objects.prefetch_related("members").select_related("village").get(pk=household.pk)
    return render(
        request,
        "ledgers/entry_grid.html",
        {
            "household": household,
            "head": _head_of(household),
            "crumbs": area_breadcrumbs_for_user(request.user, household.village, include_self=True),
            "month": month,
            "month_label": month.label(lang=_lang()),
            "previous_month": links["previous"],
            "next_month": links["next"],
            "previous_household": previous_hh,
            "next_household": next_hh,
            "closed": closed,
            "lines": data.lines,
            "totals": data.totals,
            "rows": rows,
            "problems": grid.problems if grid else [],
            "has_errors": bool(grid and not grid.is_valid),
            "categories": _categories_json(index.categories),
            "saved_satang": {"income": _satang(data.totals.income), "expense": _satang(data.totals.expense)},
            "grid_i18n": {
                "income": _("Income"),
                "expense": _("Expense"),
                "unknown": _("Unknown category"),
                "notAmount": _("Not an amount"),
                "saving": _("Saving…"),
                "unsaved": _("Lines typed here are not saved yet."),
                "noMatch": _("No matching category"),
            },
            "fix_id": fix_id,
            "fix_form": fix_form,
        },
    )


def _satang(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


# --- corrections ---------------------------------------------------------------------------------


def _entry_for_fix(request: HttpRequest, entry_id: int) -> LedgerEntry:
    try:
        entry = ledger_entry_get_for_writer(request.user, entry_id)
    except LedgerEntry.DoesNotExist:
        raise Http404 from None
    if entry.household.erased_at is not None:
        raise Http404
    return entry


def _fix(request: HttpRequest, entry_id: int, *, remove: bool) -> HttpResponse:
    entry = _entry_for_fix(request, entry_id)
    household = entry.household
    month = Month.of(entry.date)
    index = _category_index()
    form = CorrectionForm(request.POST, month=month, index=index, today=_today())
    grid_url = reverse("ledgers:entry_grid", kwargs={"pk": household.pk, "month": month.iso()})
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        actor = actor_from_request(request)
        try:
            if remove:
                ledger_entry_reverse(actor=actor, entry=entry, reason=reason)
                messages.success(request, _("The line was removed; it stays in the history, struck through."))
                return redirect(f"{grid_url}#saved")
            line = form.line()
            if line is not None:
                new = ledger_entry_correct(actor=actor, entry=entry, line=line, reason=reason)
                messages.success(
                    request, _("The line was corrected; the old one stays in the history, struck through.")
                )
                return redirect(
                    reverse("ledgers:entry_grid", kwargs={"pk": household.pk, "month": Month.of(new.date).iso()})
                    + "#saved"
                )
        except LedgerError as exc:
            form.add_error(None, str(exc))
    closed = month_is_closed(household.village_id, month.first_day)
    return _render_grid(request, household, month, closed=closed, index=index, fix_id=entry.pk, fix_form=form)


@require_POST
def entry_correct(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _fix(request, entry_id, remove=False)


@require_POST
def entry_remove(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _fix(request, entry_id, remove=True)


# --- the phone form ------------------------------------------------------------------------------


def _phone_villages(request: HttpRequest) -> list[Any]:
    villages = villages_for_ledger_entry(request.user)
    if not villages:
        raise Http404  # no village to enter accounts for: same answer as a missing page
    return villages


@require_GET
def phone_households(request: HttpRequest) -> HttpResponse:
    villages = _phone_villages(request)
    codes = {v.code for v in villages}
    village = request.GET.get("village", "")
    if village not in codes:
        village = villages[0].code if len(villages) == 1 else ""
    text = request.GET.get("q", "").strip()[:100]
    households = household_search_for_ledger_entry(request.user, village_code=village, text=text)
    context = {"villages": villages, "village": village, "q": text, "households": households}
    if request.headers.get("HX-Request"):
        return render(request, "ledgers/phone_results.html", context)
    return render(request, "ledgers/phone_households.html", {**context, "phone_i18n": _phone_i18n()})


def _phone_month_context(household: Household, month: Month) -> dict[str, Any]:
    data = ledger_month_for_household(household, month.first_day, month.last_day)
    links = _month_links(month, _today())
    return {
        "household": household,
        "month": month,
        "month_label": month.label(lang=_lang()),
        "previous_month": links["previous"],
        "next_month": links["next"],
        "lines": data.lines,
        "totals": data.totals,
        "closed": month_is_closed(household.village_id, month.first_day),
        "saved_satang": {"income": _satang(data.totals.income), "expense": _satang(data.totals.expense)},
    }


def _phone_month_of(request: HttpRequest) -> Month:
    text = request.GET.get("month", "")
    if not text:
        return Month.of(_today())
    try:
        return Month.parse(text)
    except ValueError:
        return Month.of(_today())


@require_http_methods(["GET", "POST"])
def phone_household(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household_for_entry(request, pk)
    month = _phone_month_of(request)
    error = ""
    if request.method == "POST":  # the form without JavaScript: one line at a time
        payload = {
            "lines": [
                {
                    "key": request.POST.get("key", ""),
                    "date": request.POST.get("date", ""),
                    "category": request.POST.get("category_other") or request.POST.get("category", ""),
                    "amount": request.POST.get("amount", ""),
                    "item": request.POST.get("item", ""),
                }
            ]
        }
        try:
            result = _phone_save(request, household, payload)
        except PayloadError:
            result = {"saved": [], "errors": {"": _("The form was incomplete; please try again.")}}
        if result["saved"]:
            messages.success(request, _("The line was saved."))
            return redirect(reverse("ledgers:phone_household", kwargs={"pk": household.pk}) + f"?month={month.iso()}")
        error = " ".join(result["errors"].values())
    else:
        audit_record(
            actor=actor_from_request(request),
            action=Action.VIEW,
            object_type="household_ledger",
            object_id=household.pk,
            area_code=household.village_id,
            detail={"month": month.iso(), "via": "phone"},
        )
    household = Household.objects.prefetch_related("members").select_related("village").get(pk=household.pk)
    index = _category_index()
    today = _today()
    default_date = today if Month.of(today) == month else min(month.last_day, today)
    return render(
        request,
        "ledgers/phone_household.html",
        {
            **_phone_month_context(household, month),
            "head": _head_of(household),
            "common": categories_common_in([household.village_id]),
            "groups": _grouped(index.categories),
            "categories": _categories_json(index.categories),
            "default_date": default_date,
            "date_value": request.POST.get("date", "") if error else default_date.isoformat(),
            "min_date": month.first_day,
            "max_date": min(month.last_day, today),
            "form_key": _new_key(),
            "error": error,
            "form_values": request.POST if error else {},
            "phone_i18n": _phone_i18n(),
            "months_short": list(thai.MONTHS_TH_SHORT if _lang() == "th" else thai.MONTHS_EN_SHORT),
        },
    )


def _grouped(categories: Iterable[Category]) -> list[tuple[str, list[Category]]]:
    groups: dict[str, list[Category]] = {g.value: [] for g in Group}
    for c in categories:
        groups.setdefault(c.group, []).append(c)
    labels = dict(Group.choices)
    return [(str(labels.get(g, g)), cats) for g, cats in groups.items() if cats]


@require_GET
def phone_month(request: HttpRequest, pk: int, month: str) -> HttpResponse:
    """The household's month so far (a fragment the phone page reloads after sending)."""
    household = _household_for_entry(request, pk)
    response = render(request, "ledgers/phone_month.html", _phone_month_context(household, _month(month)))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def phone_lines_view(request: HttpRequest, pk: int) -> JsonResponse:
    """Lines queued on a phone. Body ``{"lines": [{"key", "date", "category", "amount",
    "item"}]}``; answer ``{"saved": [keys], "errors": {key: message}}``. A key in
    ``saved`` is on the server (now or from an earlier send): the phone may forget it. A
    key in ``errors`` was not saved and will not be until the line is changed."""
    household = _household_for_entry(request, pk)
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "the body is not JSON"}, status=400)
    try:
        result = _phone_save(request, household, payload)
    except PayloadError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    response = JsonResponse(result)
    response["Cache-Control"] = "no-store"
    return response


def _phone_save(request: HttpRequest, household: Household, payload: object) -> dict[str, Any]:
    today = _today()
    parsed: list[PhoneLine] = phone_lines(payload, household_id=household.pk, index=_category_index(), today=today)
    stored = {p.key: stored_key(household.pk, p.key) for p in parsed}
    already = ledger_keys_saved(stored.values())
    saved = [p.key for p in parsed if stored[p.key] in already]
    errors: dict[str, str] = {}
    todo: list[PhoneLine] = []
    closed: dict[dt.date, bool] = {}
    for p in parsed:
        if stored[p.key] in already:
            continue
        if p.line is None:
            errors[p.key] = p.error
            continue
        first = p.line.date.replace(day=1)
        if first not in closed:
            closed[first] = month_is_closed(household.village_id, first)
        if closed[first]:
            errors[p.key] = _closed_message(Month.of(first))
            continue
        todo.append(p)
    if todo:
        try:
            _add_lines(request, household, [p.line for p in todo if p.line is not None], source=EntrySource.PHONE)
        except LedgerError as exc:
            errors.update({p.key: str(exc) for p in todo})
        else:
            saved += [p.key for p in todo]
    return {"saved": saved, "errors": errors}


def _phone_i18n() -> dict[str, str]:
    return {
        "income": _("Income"),
        "expense": _("Expense"),
        "waiting": _("Waiting to be sent"),
        "sending": _("Sending…"),
        "offline": _("Offline: lines are kept on this phone and sent when the connection is back."),
        "allSent": _("Every line has been sent."),
        "nWaiting": _("%(n)s line(s) waiting to be sent."),
        "failed": _("Could not reach the server; will try again."),
        "login": _("Your login has ended. Log in again to send the waiting lines."),
        "reload": _("The page is out of date. Reload it to send the waiting lines."),
        "delete": _("Delete"),
        "edit": _("Change"),
        "retry": _("Try again"),
        "confirmDelete": _("Delete this line? It has not been sent."),
        "needCategory": _("Choose a category."),
        "needAmount": _("Type an amount more than 0."),
        "needDate": _("Choose a date that is not in the future."),
        "withWaiting": _("With the lines waiting to be sent"),
        "net": _("Net"),
        "noStorage": _("This phone cannot keep lines while offline (storage is off); send them while online."),
        "householdsWaiting": _("Lines waiting to be sent for %(n)s household(s)."),
        "gone": _("This household cannot be entered from this login any more."),
    }


class _MonthConverter:
    """``2024-03`` (a year above 2400 is taken as Buddhist Era and redirected)."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


register_converter(_MonthConverter, "ledger_month")

urlpatterns = [
    path("household/<int:pk>/entry/", entry_household, name="entry_household"),
    path("household/<int:pk>/<ledger_month:month>/", entry_grid, name="entry_grid"),
    path("entry/<int:entry_id>/correct/", entry_correct, name="entry_correct"),
    path("entry/<int:entry_id>/remove/", entry_remove, name="entry_remove"),
    path("phone/", phone_households, name="phone"),
    path("phone/<int:pk>/", phone_household, name="phone_household"),
    path("phone/<int:pk>/month/<ledger_month:month>/", phone_month, name="phone_month"),
    path("phone/<int:pk>/lines", phone_lines_view, name="phone_lines"),
]
