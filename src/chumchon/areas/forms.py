from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class VillageForm(forms.Form):
    village_no = forms.IntegerField(label=_("Village no. (หมู่ที่)"), min_value=1, max_value=99)
    name_th = forms.CharField(label=_("Village name"), max_length=120)


class ZoneForm(forms.Form):
    name = forms.CharField(label=_("Zone name"), max_length=120)
    members = forms.MultipleChoiceField(
        label=_("Districts or tambons"), required=True, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["members"].choices = choices  # type: ignore[attr-defined]
