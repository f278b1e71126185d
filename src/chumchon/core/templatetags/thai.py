"""Template filters for Thai presentation: Buddhist Era dates, amounts, counts.

Registered as a builtin in settings, so templates need no ``{% load %}``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone, translation
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from chumchon.core import thai

register = template.Library()


def _lang() -> str:
    return "th" if (translation.get_language() or "th").startswith("th") else "en"


@register.filter
def be_date(value: dt.date | dt.datetime | None) -> str:
    """``15 มี.ค. 2567``."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return thai.format_date(value, lang=_lang())


@register.filter
def be_date_full(value: dt.date | None) -> str:
    return thai.format_date(value, lang=_lang(), full=True)


@register.filter
def be_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return thai.format_datetime(value, lang=_lang())


@register.filter
def baht(value: Decimal | float | int | str | None) -> str:
    """``1,234.50``."""
    if value is None or value == "":
        return ""
    try:
        return thai.format_amount(Decimal(str(value)))
    except InvalidOperation:
        return str(value)


@register.filter
def count(value: int | None) -> str:
    return thai.format_count(value)


@register.filter
def month_label(value: str | thai.Month | None) -> str:
    if not value:
        return ""
    month = value if isinstance(value, thai.Month) else thai.Month.parse(str(value))
    return month.label(lang=_lang())


@register.simple_tag
def bedate_i18n() -> SafeString:
    """The strings of the Buddhist Era date picker (``chumchon/js/bedate.js``), as JSON."""
    months = thai.MONTHS_TH_FULL if _lang() == "th" else thai.MONTHS_EN_FULL
    days = ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"] if _lang() == "th" else ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"]
    data = {
        "months": list(months),
        "days": days,
        "open": _("Choose a date"),
        "prev": _("Previous month"),
        "next": _("Next month"),
        "today": _("Today"),
        "close": _("Close the calendar"),
        "year": _("Year (Buddhist Era)"),
        "month": _("Month"),
        "invalid": _("Not a date: type dd/mm/yyyy in Buddhist Era, e.g. 23/11/2532."),
        "twoDigit": _("The year needs 4 digits, e.g. 2532."),
        "notExist": _("That date does not exist."),
        "range": _("The year is out of range (Buddhist Era 2443–2743)."),
    }
    return json_script(data, "bedate-i18n")
