from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chumchon.core.forms import BEDateField
from chumchon.registry.models import (
    Consent,
    Education,
    Household,
    Housing,
    Indicator,
    LandTenure,
    MemberStatus,
    OccupationGroup,
    Organisation,
    Sex,
    Verification,
)

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


class NeedsForm(forms.Form):
    """One checkbox per indicator of the current edition: ticked = the household fails it."""

    def __init__(
        self, *args: Any, indicators: list[Indicator], household: Household | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        current = {}
        if household is not None:
            current = {a.indicator_id: a.failed for a in household.indicators.all()}
        for indicator in indicators:
            self.fields[indicator.code] = forms.BooleanField(
                label=f"{indicator.code} {indicator.name_th}", required=False, initial=current.get(indicator.pk, False)
            )


class EraseForm(forms.Form):
    reason = forms.CharField(label=_("Reason (the household's request)"), max_length=200)
    confirm = forms.CharField(label=_("Type the household code to confirm"), max_length=40)


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    registered_on = BEDateField(label=_("Registered on"), required=False)
