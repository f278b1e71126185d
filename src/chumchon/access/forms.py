from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chumchon.access.audit_labels import OBJECT_LABELS
from chumchon.access.models import Action, Role
from chumchon.core.forms import BEDateField


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
    object_type = forms.ChoiceField(
        label=_("Object"),
        required=False,
        choices=[("", "—"), *((code, label) for code, label in OBJECT_LABELS.items())],
    )
    date_from = BEDateField(label=_("From"), required=False, help_text="")
    date_to = BEDateField(label=_("To"), required=False, help_text="")


class UserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class AssignmentForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    area = forms.CharField(
        label=_("Area code"),
        max_length=8,
        required=False,
        help_text=_("2, 4, 6 or 8 digits; empty for an administrator or a national agency"),
    )
    starts_on = BEDateField(label=_("Starts on"), required=False)
    ends_on = BEDateField(label=_("Ends on"), required=False)
