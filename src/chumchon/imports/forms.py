from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from chumchon.imports.models import ImportJob
from chumchon.imports.services import EXTENSIONS, MAX_UPLOAD_BYTES


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file lists"), choices=ImportJob.Kind.choices, widget=forms.RadioSelect, initial="households"
    )
    file = forms.FileField(
        label=_("Spreadsheet file (.xlsx, .xls or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    skip_invalid = forms.BooleanField(
        label=_("Import the good rows even if some rows have errors"),
        required=False,
        help_text=_("Otherwise nothing is imported until every row is correct."),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if PurePath(upload.name or "").suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(_("Use an .xlsx, .xls or .csv file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload
