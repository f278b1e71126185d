"""The forms of the negotiation forum and the funding ledger. Dates are typed in
Buddhist Era (``core.forms.BEDateField``); money as an import reads it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chumchon.core.forms import BEDateField, MoneyField
from chumchon.matching.models import DeclineReason
from chumchon.matching.services import AFTER_ACCEPTANCE, OUTCOMES


class NegotiationForm(forms.Form):
    held_on = BEDateField(label=_("Date of the forum"))
    place = forms.CharField(label=_("Place"), max_length=300)
    bodies = forms.TypedMultipleChoiceField(label=_("Bodies present"), coerce=int, widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, bodies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bodies"].choices = bodies  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    body = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[(str(s), s.label) for s in OUTCOMES])
    amount = MoneyField(label=_("Amount accepted (baht)"), required=False)
    programme = forms.TypedChoiceField(label=_("Programme"), coerce=int, required=False, empty_value=None)
    conditions = forms.CharField(label=_("Conditions"), max_length=1000, required=False)
    reason = forms.ChoiceField(label=_("Reason declined"), choices=[("", "—"), *DeclineReason.choices], required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, programmes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", "—"), *programmes]  # type: ignore[attr-defined]


class StepForm(forms.Form):
    stage = forms.ChoiceField(label=_("Step"), choices=[(str(s), s.label) for s in AFTER_ACCEPTANCE[1:]])
    on = BEDateField(label=_("Date"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class CalendarForm(forms.Form):
    body = forms.IntegerField(widget=forms.HiddenInput)
    plan_amended_by = BEDateField(label=_("Local development plan amended by"))
    draft_to_council_by = BEDateField(label=_("Draft budget ordinance to the council by"))
    council_by = BEDateField(label=_("The council decides by"))
    starts_on = BEDateField(label=_("The fiscal year begins"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
