"""The volunteers' phone form: their villages' households, one household's month, and
the JSON endpoint that takes the lines queued on a phone (sent once the connection is
back; each line's key makes a resend add nothing)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chumchon.access.models import Action
from chumchon.access.services import audit_record
from chumchon.access.web import actor_from_request
from chumchon.core import thai
from chumchon.core.forms import be_text
from chumchon.core.thai import Month
from chumchon.ledgers.forms import CorrectionForm, PayloadError, PhoneLine, phone_lines, stored_key
from chumchon.ledgers.models import Category, EntrySource, Group, LedgerEntry
from chumchon.ledgers.selectors import (
    categories_common_in,
    household_search_for_ledger_entry,
    ledger_entry_get_for_own_fix,
    ledger_keys_saved,
    ledger_month_for_household,
    villages_for_ledger_entry,
)
from chumchon.ledgers.services import LedgerError, ledger_entry_correct, ledger_entry_reverse, month_is_closed
from chumchon.ledgers.views.entry.common import (
    add_lines,
    categories_json,
    category_index,
    closed_message,
    head_of,
    household_for_entry,
    lang,
    local_today,
    month_links,
    month_or_404,
    new_key,
    satang,
)
from chumchon.registry.models import Household
from chumchon.registry.selectors import household_with_members


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
    links = month_links(month, local_today())
    return {
        "household": household,
        "month": month,
        "month_label": month.label(lang=lang()),
        "previous_month": links["previous"],
        "next_month": links["next"],
        "lines": data.lines,
        "totals": data.totals,
        "closed": month_is_closed(household.village_id, month.first_day),
        "saved_satang": {"income": satang(data.totals.income), "expense": satang(data.totals.expense)},
    }


def _phone_month_of(request: HttpRequest) -> Month:
    text = request.GET.get("month", "")
    if not text:
        return Month.of(local_today())
    try:
        return Month.parse(text)
    except ValueError:
        return Month.of(local_today())


@require_http_methods(["GET", "POST"])
def phone_household(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_for_entry(request, pk)
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
    household = household_with_members(household.pk)
    index = category_index()
    today = local_today()
    default_date = today if Month.of(today) == month else min(month.last_day, today)
    return render(
        request,
        "ledgers/phone_household.html",
        {
            **_phone_month_context(household, month),
            "head": head_of(household),
            "common": categories_common_in([household.village_id]),
            "groups": _grouped(index.categories),
            "categories": categories_json(index.categories),
            "default_date": default_date,
            "date_value": request.POST.get("date", "") if error else be_text(default_date),
            "form_key": new_key(),
            **_server_clock(),
            "error": error,
            "form_values": request.POST if error else {},
            "phone_i18n": _phone_i18n(),
            "months_short": list(thai.MONTHS_TH_SHORT if lang() == "th" else thai.MONTHS_EN_SHORT),
        },
    )


def _server_clock() -> dict[str, Any]:
    """The server's clock for the phone: "today" is the server's (Thailand's) day, never
    the phone's, whose clock or time zone may be wrong. The phone keeps the difference
    between the two clocks, so a page left open past midnight still knows the day."""
    now = timezone.now()
    local = timezone.localtime(now)
    offset = local.utcoffset() or dt.timedelta(0)
    return {
        "server_today": local.date(),
        "server_now_ms": int(now.timestamp() * 1000),
        "server_utc_offset_min": int(offset.total_seconds() // 60),
    }


def _grouped(categories: Iterable[Category]) -> list[tuple[str, list[Category]]]:
    groups: dict[str, list[Category]] = {g.value: [] for g in Group}
    for c in categories:
        groups.setdefault(c.group, []).append(c)
    labels = dict(Group.choices)
    return [(str(labels.get(g, g)), cats) for g, cats in groups.items() if cats]


@require_GET
def phone_month(request: HttpRequest, pk: int, month: str) -> HttpResponse:
    """The household's month so far (a fragment the phone page reloads after sending)."""
    household = household_for_entry(request, pk)
    response = render(request, "ledgers/phone_month.html", _phone_month_context(household, month_or_404(month)))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def phone_lines_view(request: HttpRequest, pk: int) -> JsonResponse:
    """Lines queued on a phone. Body ``{"lines": [{"key", "date", "category", "amount",
    "item"}]}``; answer ``{"saved": [keys], "errors": {key: message}}``. A key in
    ``saved`` is on the server (now or from an earlier send): the phone may forget it. A
    key in ``errors`` was not saved and will not be until the line is changed."""
    household = household_for_entry(request, pk)
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
    today = local_today()
    parsed: list[PhoneLine] = phone_lines(payload, household_id=household.pk, index=category_index(), today=today)
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
            errors[p.key] = closed_message(Month.of(first))
            continue
        todo.append(p)
    if todo:
        try:
            add_lines(request, household, [p.line for p in todo if p.line is not None], source=EntrySource.PHONE)
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
        "needDate": _("Type the date as dd/mm/yyyy in Buddhist Era, e.g. 23/11/2567."),
        "future": _("%(date)s is in the future (today is %(today)s)."),
        "withWaiting": _("With the lines waiting to be sent"),
        "net": _("Net"),
        "noStorage": _("This phone cannot keep lines while offline (storage is off); send them while online."),
        "householdsWaiting": _("Lines waiting to be sent for %(n)s household(s)."),
        "gone": _("This household cannot be entered from this login any more."),
    }


# --- a volunteer corrects their own lines ----------------------------------------------------


@require_http_methods(["GET", "POST"])
def phone_fix(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    """Correct or remove a line one entered oneself, while its month is open: the line
    stays, reversed by a new line with the reason, exactly as staff correct from the grid
    (:func:`ledger_entry_correct` / :func:`ledger_entry_reverse`). Someone else's line, a
    line already reversed or one out of scope is the same 404 as a missing one."""
    household = household_for_entry(request, pk)
    try:
        entry = ledger_entry_get_for_own_fix(request.user, household.pk, entry_id)
    except LedgerEntry.DoesNotExist:
        raise Http404 from None
    month = Month.of(entry.date)
    back = reverse("ledgers:phone_household", kwargs={"pk": household.pk}) + f"?month={month.iso()}"
    closed = month_is_closed(household.village_id, month.first_day)
    index = category_index()
    remove = request.POST.get("action") == "remove"
    form = CorrectionForm(request.POST or None, month=month, index=index, today=local_today())
    if request.method == "POST" and form.is_valid():
        actor = actor_from_request(request)
        reason = form.cleaned_data["reason"]
        try:
            if remove:
                ledger_entry_reverse(actor=actor, entry=entry, reason=reason)
                messages.success(request, _("The line was removed; it stays in the history, struck through."))
                return redirect(back)
            line = form.line()
            if line is not None:
                line = replace(line, key=None, enterprise_id=entry.enterprise_id)
                new = ledger_entry_correct(actor=actor, entry=entry, line=line, reason=reason)
                messages.success(
                    request, _("The line was corrected; the old one stays in the history, struck through.")
                )
                return redirect(
                    reverse("ledgers:phone_household", kwargs={"pk": household.pk})
                    + f"?month={Month.of(new.date).iso()}"
                )
        except LedgerError as exc:
            form.add_error(None, str(exc))
    values = form.data if form.is_bound else {
        "day": be_text(entry.date), "category": entry.category_id, "item": entry.item, "amount": str(entry.amount),
    }  # fmt: skip
    return render(
        request,
        "ledgers/phone_fix.html",
        {
            "household": household,
            "entry": entry,
            "month": month,
            "month_label": month.label(lang=lang()),
            "closed": closed,
            "form": form,
            "values": values,
            "groups": _grouped(index.categories),
            "back": back,
        },
    )
