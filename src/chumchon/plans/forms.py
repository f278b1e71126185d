"""The forms of the forum and plan pages. Dates are typed in Buddhist Era
(``core.forms.BEDateField``); months as ``YYYY-MM`` (BE or CE); money accepts Thai
digits, separators and ``บาท``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chumchon.core.forms import BEDateField, MoneyField
from chumchon.core.thai import Month
from chumchon.plans.models import (
    FISCAL_YEAR_MAX,
    FISCAL_YEAR_MIN,
    Actor,
    Adoption,
    Certification,
    Domain,
    Finding,
    Kind,
    Mechanism,
    Status,
)
from chumchon.plans.models import Level as PlanLevel


class MonthField(forms.CharField):
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, e.g. 2567-03.")}

    def to_python(self, value: Any) -> Month | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return Month.parse(text)
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class ForumForm(forms.Form):
    held_on = BEDateField(label=_("Date of the forum"))
    month = MonthField(label=_("Month of the data read"), help_text=_("the pack's month, e.g. 2567-03"))
    mechanism = forms.ChoiceField(label=_("Who ran it"), choices=Mechanism.choices)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    facilitators = forms.CharField(label=_("Facilitators"), max_length=300, required=False)
    attendance = forms.IntegerField(label=_("People present"), min_value=0, initial=0)
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    households_present = forms.TypedMultipleChoiceField(
        label=_("Households present"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, households: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if households:
            self.fields["households_present"].choices = households  # type: ignore[attr-defined]
        else:
            del self.fields["households_present"]


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Finding"), choices=Finding.Kind.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 2}))
    problem = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ForumFileForm(forms.Form):
    file = forms.FileField(label=_("Photo or file"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class ItemForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("plan item", "Title"), max_length=300)
    actor = forms.ChoiceField(label=_("Who acts"), choices=Actor.choices, widget=forms.RadioSelect)
    problem_text = forms.CharField(
        label=_("The problem it answers"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    problem_id = forms.TypedChoiceField(label=_("A problem of a forum"), coerce=int, required=False, empty_value=None)
    domain = forms.ChoiceField(label=_("Domain"), choices=[("", "—"), *Domain.choices], required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Kind.choices], required=False)
    households = forms.IntegerField(label=_("Households served"), min_value=0, initial=0)
    cost = MoneyField(label=_("Cost (baht)"), required=False)
    amount_asked = MoneyField(label=_("Amount asked (baht)"), required=False, help_text=_("blank: the whole cost"))
    owner = forms.CharField(label=_("Main owner"), max_length=200, required=False)
    team = forms.CharField(
        label=_("Team"), required=False, help_text=_("one name per line; at least three people is the rule"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    group_id = forms.TypedChoiceField(label=_("Registered group"), coerce=int, required=False, empty_value=None)
    group_name = forms.CharField(label=_("Group (if not registered)"), max_length=200, required=False)
    committed = forms.TypedMultipleChoiceField(
        label=_("Households that committed"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        problems: list[tuple[int, str]] | None = None,
        groups: list[tuple[int, str]] | None = None,
        households: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["problem_id"].choices = [("", "—"), *(problems or [])]  # type: ignore[attr-defined]
        self.fields["group_id"].choices = [("", "—"), *(groups or [])]  # type: ignore[attr-defined]
        if households:
            self.fields["committed"].choices = households  # type: ignore[attr-defined]
        else:
            del self.fields["committed"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class CiteForm(forms.Form):
    figure = forms.ChoiceField(label=_("Figure"))
    category = forms.CharField(label=_("Category or group"), max_length=8, required=False)
    area = forms.CharField(label=_("Area code"), max_length=8)
    start = MonthField(label=_("From month"))
    end = MonthField(label=_("To month"))

    def __init__(self, *args: Any, figures: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["figure"].choices = figures  # type: ignore[attr-defined]


class OtherEvidenceForm(forms.Form):
    title = forms.CharField(label=_("What the data is"), max_length=300)
    source = forms.CharField(label=pgettext_lazy("evidence", "Source"), max_length=300)
    dated = BEDateField(label=_("Date of the data"), required=False)
    coverage = forms.CharField(
        label=_("Coverage"), max_length=300, required=False, help_text=_("e.g. 120 households of village 3")
    )
    value_text = forms.CharField(label=_("What it says"), max_length=200, required=False)
    households_covered = forms.IntegerField(label=_("Households covered"), min_value=0, required=False)
    file = forms.FileField(label=_("Document"), required=False)


class CertifyForm(forms.Form):
    certified_on = BEDateField(label=_("Certified on"))
    by_kind = forms.ChoiceField(label=_("Certified by"), choices=Certification.By.choices)
    by_name = forms.CharField(label=_("Name"), max_length=200)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class MergeForm(forms.Form):
    sources = forms.TypedMultipleChoiceField(
        label=_("Items to gather"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("Title of the tambon item"), max_length=300)
    actor = forms.ChoiceField(
        label=_("Who acts"), choices=[c for c in Actor.choices if c[0] in ("local_government", "agency")]
    )
    domain = forms.ChoiceField(label=_("Domain"), choices=[("", "—"), *Domain.choices], required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Kind.choices], required=False)

    def __init__(self, *args: Any, sources: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sources"].choices = sources  # type: ignore[attr-defined]


class ProvincialForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("plan", "Title"), max_length=200, required=False)
    vision = forms.CharField(label=_("Vision"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    target_year = forms.IntegerField(
        label=_("Vision's target year (BE)"), min_value=FISCAL_YEAR_MIN, max_value=FISCAL_YEAR_MAX, required=False
    )
    period_end = forms.IntegerField(
        label=_("Last fiscal year of the period (BE)"),
        min_value=FISCAL_YEAR_MIN,
        max_value=FISCAL_YEAR_MAX,
        required=False,
    )


class IssueForm(forms.Form):
    number = forms.IntegerField(label=_("No."), min_value=1, max_value=99)
    title = forms.CharField(label=_("Strategic issue"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    adoption = forms.ChoiceField(
        label=_("In the provincial development plan"), choices=[("", "—"), *Adoption.choices], required=False
    )
    items = forms.TypedMultipleChoiceField(
        label=_("Items under it"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, items: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = items or []  # type: ignore[attr-defined]


class AdoptionForm(forms.Form):
    local_plan_years = forms.CharField(
        label=_("Local development plan years"), max_length=20, required=False, help_text=_("e.g. 2566-2570")
    )
    project_no = forms.CharField(label=_("Project number"), max_length=40, required=False)
    provincial = forms.ChoiceField(
        label=_("In the provincial development plan"), choices=[("", "—"), *Adoption.choices], required=False
    )


LEVEL_LABELS = dict(PlanLevel.choices)
