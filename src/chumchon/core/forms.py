"""Form pieces every app shares: the Buddhist Era date field and the money field.

Every date a person types or sees in a form is ``dd/mm/yyyy`` in Buddhist Era
(``23/11/2532``). The widget is a plain text input, never ``<input type="date">``: a
browser drops a value that is not ``yyyy-mm-dd`` from a date input and sends it empty,
so a form that put ``23/11/1989`` there erased the date on every save. The small
picker (``chumchon/js/bedate.js``, loaded by ``base.html``) shows BE years and Thai
month names; without JavaScript the field still takes typed text.

The field reads what the import reads (:func:`chumchon.core.spreadsheet.dates.parse_date`):
a year above 2400 is BE, a year 1900–2200 is CE, ISO ``1989-11-23`` is accepted, two-digit
years and impossible dates are refused with a Thai message, never guessed or rolled over.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from chumchon.core import spreadsheet as ss
from chumchon.core.spreadsheet.dates import parse_date
from chumchon.core.spreadsheet.errors import CellError
from chumchon.core.thai import to_be

BE_PLACEHOLDER = "วว/ดด/ปปปป"
# (escaped for the "v" flag browsers compile a pattern attribute with)
BE_PATTERN = r"\s*[0-9๐-๙]{1,4}\s*[\/.\-]\s*[0-9๐-๙]{1,2}\s*[\/.\-]\s*[0-9๐-๙]{1,4}\s*"


def be_text(value: dt.date) -> str:
    """``23/11/2532`` for 23 November 1989."""
    return f"{value.day:02d}/{value.month:02d}/{to_be(value.year)}"


class BEDateInput(forms.TextInput):
    """A text input showing ``dd/mm/yyyy`` BE, with the attributes the picker looks for."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "inputmode": "numeric",
            "pattern": BE_PATTERN,
            "placeholder": BE_PLACEHOLDER,
            "autocomplete": "off",
            "data-bedate": "",
            "size": "12",
            "maxlength": "20",
        }
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return be_text(value)
        return super().format_value(value)  # what was typed, shown again as typed


class BEDateField(forms.Field):
    """A date typed in Buddhist Era (CE and ISO accepted); see the module docstring."""

    widget = BEDateInput
    default_error_messages = {"invalid": _("Enter a date as dd/mm/yyyy in Buddhist Era, e.g. 23/11/2532.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("dd/mm/yyyy in Buddhist Era, e.g. 23/11/2532"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except CellError as exc:
            lang = "th" if (translation.get_language() or "th").startswith("th") else "en"
            raise forms.ValidationError(exc.message(lang), code="invalid") from None

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != self.to_python(initial)
        except forms.ValidationError:
            return True


class MoneyField(forms.CharField):
    default_error_messages = {"invalid": _("Enter an amount in baht, e.g. 150,000.")}

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        """As an import reads a money cell (``core.spreadsheet.parse_money``): Thai digits,
        separators and ``บาท`` accepted, never negative, at most two places."""
        text = super().to_python(value)
        if not text:
            return None
        try:
            return ss.parse_money(text)
        except ss.CellError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


def errors_text(form: forms.Form) -> str:
    """A refused form's errors in one line, each after its field's label (a message)."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(e) for e in errors)
        parts.append(f"{label}: {text}" if label else text)
    return "; ".join(parts)
