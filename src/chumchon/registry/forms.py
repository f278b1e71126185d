from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chumchon.core.forms import BEDateField
from chumchon.core.thai import Month
from chumchon.registry.models import (
    Consent,
    Dimension,
    Education,
    Household,
    HouseholdStatus,
    Housing,
    Indicator,
    LandTenure,
    MemberStatus,
    OccupationGroup,
    Organisation,
    Sex,
    Verification,
)
from chumchon.registry.selectors import HOUSEHOLD_SORTS

BLANK: list[tuple[str, Any]] = [("", "—")]


class HouseholdForm(forms.Form):
    code = forms.CharField(label=_("Household code"), max_length=32)
    village = forms.ChoiceField(label=_("Village"))
    house_no = forms.CharField(label=_("House no."), max_length=20, required=False)
    occupation_group = forms.ChoiceField(
        label=_("Occupation group"), choices=BLANK + OccupationGroup.choices, required=False
    )
    welfare_card = forms.BooleanField(label=_("State welfare card"), required=False)
    housing = forms.ChoiceField(label=_("Housing"), choices=BLANK + Housing.choices, required=False)
    land_tenure = forms.ChoiceField(label=_("Land tenure"), choices=BLANK + LandTenure.choices, required=False)
    lat = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False, min_value=-90, max_value=90
    )
    lon = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False, min_value=-180, max_value=180
    )

    def __init__(self, *args: Any, villages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = villages  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=30, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    national_id = forms.CharField(
        label=_("National ID"), max_length=20, required=False, help_text=_("13 digits; dashes allowed")
    )
    birth_date = BEDateField(label=_("Birth date"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=BLANK + Sex.choices, required=False)
    relation = forms.CharField(label=_("Relation"), max_length=50, required=False)
    education = forms.ChoiceField(label=_("Education"), choices=BLANK + Education.choices, required=False)
    occupation = forms.CharField(label=_("Occupation"), max_length=100, required=False)
    disability = forms.BooleanField(label=_("Disability"), required=False)
    chronic_illness = forms.BooleanField(label=_("Chronic illness"), required=False)
    bedridden = forms.BooleanField(label=_("Bedridden"), required=False)
    elderly_living_alone = forms.BooleanField(label=_("Elderly living alone"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=MemberStatus.choices, initial=MemberStatus.LIVING_HERE)
    is_head = forms.BooleanField(label=_("Head of household"), required=False)


class VerifyForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What did you find?"), choices=[c for c in Verification.choices if c[0] != "unverified"]
    )
    house_no = forms.CharField(label=_("Corrected house no."), max_length=20, required=False)
    welfare_card = forms.ChoiceField(
        label=_("Corrected welfare card"), required=False, choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))]
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ConsentForm(forms.Form):
    consent = forms.ChoiceField(label=_("Consent"), choices=Consent.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


NOT_ASKED, MET, FAILED = "", "met", "failed"
_NEEDS_ANSWERS = {NOT_ASKED: None, MET: False, FAILED: True}


class NeedsForm(forms.Form):
    """One question per indicator of the current edition: not met, met, or not asked yet.
    ``cleaned_data`` maps each code to True (fails it), False (meets it) or None (not asked)."""

    def __init__(
        self, *args: Any, indicators: list[Indicator], household: Household | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        current: dict[int, bool] = {}
        if household is not None:
            current = {a.indicator_id: a.failed for a in household.indicators.all()}
        choices = [(FAILED, _("Not met")), (MET, _("Met")), (NOT_ASKED, _("Not asked"))]
        for indicator in indicators:
            answer = current.get(indicator.pk)
            self.fields[indicator.code] = forms.TypedChoiceField(
                label=f"{indicator.code} {indicator.name_th}",
                choices=choices,
                coerce=_NEEDS_ANSWERS.__getitem__,
                empty_value=None,
                required=False,
                initial=NOT_ASKED if answer is None else (FAILED if answer else MET),
                widget=forms.RadioSelect(attrs={"class": "needs-answer"}),
            )


class EraseForm(forms.Form):
    reason = forms.CharField(label=_("Reason (the household's request)"), max_length=200)
    confirm = forms.CharField(label=_("Type the household code to confirm"), max_length=40)


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    registered_on = BEDateField(label=_("Registered on"), required=False)


class HouseholdListForm(forms.Form):
    """The household list's filters and sort (GET); the spreadsheet takes the same."""

    q = forms.CharField(label=_("Name, house no., code or national ID"), max_length=100, required=False)
    village = forms.ChoiceField(label=_("Village"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any status"))], required=False)
    verification = forms.ChoiceField(
        label=_("Verification"), choices=[("", _("Any")), *Verification.choices], required=False
    )
    target = forms.BooleanField(label=_("Target households only"), required=False)
    dimension = forms.ChoiceField(label=_("Dimension failed"), required=False)
    indicator = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    not_reported = forms.CharField(label=_("Not yet reported"), required=False, max_length=7)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, data: Any, *, villages: list[tuple[str, str]], this_month: Month) -> None:
        super().__init__(data, label_suffix="")
        self.this_month = this_month
        self.fields["village"].choices = [("", _("All villages")), *villages]  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("Any status")), *HouseholdStatus.choices]  # type: ignore[attr-defined]
        self.fields["dimension"].choices = [("", _("Any")), ("any", _("At least one")), *Dimension.choices]  # type: ignore[attr-defined]
        labels = {
            "village": _("Village, then code"),
            "code": _("Household code"),
            "house_no": _("House no."),
            "head": _("Head of household"),
            "dimensions": _("Dimensions failed (most first)"),
            "status": _("Status"),
            "verification": _("Verification"),
            "verified_at": _("Verified on"),
        }
        self.fields["sort"].choices = [  # type: ignore[attr-defined]
            *((key, labels[key]) for key in HOUSEHOLD_SORTS),
            *((f"-{key}", _("%(sort)s, reversed") % {"sort": labels[key]}) for key in HOUSEHOLD_SORTS),
        ]

    def clean_not_reported(self) -> Month | None:
        """``1`` (or ``on``) is this month; ``YYYY-MM`` (BE or CE) another."""
        raw = self.cleaned_data["not_reported"].strip()
        if not raw:
            return None
        if raw in {"1", "on"}:
            return self.this_month
        try:
            return Month.parse(raw)
        except ValueError:
            raise forms.ValidationError(_("Not a month: use YYYY-MM, e.g. 2567-03.")) from None
