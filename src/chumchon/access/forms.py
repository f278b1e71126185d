from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chumchon.access.models import Action


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=_("User"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", "—"), *Action.choices])
    area = forms.CharField(label=_("Area code"), required=False, max_length=8)
    object_type = forms.CharField(label=_("Object"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
