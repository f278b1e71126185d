"""The Buddhist Era date field: what it reads, what it shows, and that every date field of
every form of the project is one (never a browser date input, which drops dd/mm/yyyy)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django import forms
from django.urls import get_resolver
from django.utils import translation

from chumchon.core.forms import BEDateField, BEDateInput, be_text

SRC = Path(__file__).resolve().parents[2]


class _Form(forms.Form):
    born = BEDateField(required=False)


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("23/11/2532", dt.date(1989, 11, 23)),
        ("23/11/1989", dt.date(1989, 11, 23)),  # Common Era, as a person used to it types
        ("1989-11-23", dt.date(1989, 11, 23)),  # ISO, as a browser date input or a copy gives
        ("2532-11-23", dt.date(1989, 11, 23)),
        ("๒๓/๑๑/๒๕๓๒", dt.date(1989, 11, 23)),
        (" 3.1.2567 ", dt.date(2024, 1, 3)),
        ("29/02/2567", dt.date(2024, 2, 29)),
        ("", None),
    ],
)
def test_reads_buddhist_era_common_era_and_iso(typed: str, date: dt.date | None):
    form = _Form({"born": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["born"] == date


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("23/11/32", "'23/11/32': ปีต้องมี 4 หลัก เช่น 2567"),
        ("30/02/2567", "วันที่ '30/02/2567' ไม่มีอยู่จริง"),
        ("11/23/2532", "วันที่ '11/23/2532' ไม่มีอยู่จริง"),  # month first: refused, never swapped
        ("23/11/2300", "'23/11/2300': ปีอยู่นอกช่วงที่รับได้"),
        ("เมื่อวาน", "'เมื่อวาน' ไม่ใช่วันที่ (ใช้ วว/ดด/ปปปป แบบ พ.ศ. เช่น 15/03/2567)"),
    ],
)
def test_ambiguous_or_impossible_dates_are_refused_in_thai(typed: str, message: str):
    with translation.override("th"):
        form = _Form({"born": typed})
        assert not form.is_valid()
        assert form.errors["born"] == [message]


def test_shows_the_date_in_buddhist_era_and_what_was_typed_when_wrong():
    html = str(_Form(initial={"born": dt.date(1989, 11, 23)})["born"])
    assert 'type="text"' in html and 'value="23/11/2532"' in html
    assert 'inputmode="numeric"' in html and 'placeholder="วว/ดด/ปปปป"' in html and "data-bedate" in html
    assert 'value="31/02/2532"' in str(_Form({"born": "31/02/2532"})["born"])
    assert be_text(dt.date(2024, 1, 3)) == "03/01/2567"


def test_an_unchanged_date_is_not_a_change():
    form = _Form({"born": "23/11/2532"}, initial={"born": dt.date(1989, 11, 23)})
    assert form.has_changed() is False
    assert _Form({"born": "24/11/2532"}, initial={"born": dt.date(1989, 11, 23)}).has_changed() is True


def _all_form_classes() -> list[type[forms.Form]]:
    get_resolver().url_patterns  # noqa: B018 -- imports every view, and with them every form
    found: list[type[forms.Form]] = []
    todo: list[type[forms.Form]] = [forms.Form]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("chumchon.") and ".tests." not in sub.__module__:
                found.append(sub)
    return found


def test_every_date_field_of_every_form_is_a_buddhist_era_field():
    classes = _all_form_classes()
    assert len(classes) >= 15
    wrong = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in classes
        for name, f in cls.base_fields.items()
        if isinstance(f, forms.DateField | forms.DateTimeField)
        or isinstance(f.widget, forms.DateInput | forms.DateTimeInput)
        or (isinstance(f, BEDateField) and not isinstance(f.widget, BEDateInput))
    ]
    assert wrong == [], "use chumchon.core.forms.BEDateField"
    dated = [n for cls in classes for n, f in cls.base_fields.items() if isinstance(f, BEDateField)]
    assert {"birth_date", "registered_on", "starts_on", "ends_on", "date_from", "date_to"} <= set(dated)


def test_no_template_has_a_browser_date_input():
    pattern = re.compile(r"""type\s*=\s*["']?(date|datetime-local|month|week)\b""", re.IGNORECASE)
    offenders = [
        str(p.relative_to(SRC)) for p in SRC.rglob("templates/**/*.html") if pattern.search(p.read_text("utf-8"))
    ]
    assert offenders == [], "a browser's date and month inputs drop dd/mm/yyyy and show CE: use data-bedate or a select"
    scripts = [p for p in SRC.rglob("static/**/*.js") if "min.js" not in p.name]
    assert [str(p.relative_to(SRC)) for p in scripts if re.search(r"""type\s*=\s*["']date["']""", p.read_text())] == []
