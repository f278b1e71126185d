"""Django's own messages that its Thai catalogue lacks, listed so that ``makemessages``
extracts them into ours (LOCALE_PATHS take precedence over Django's catalogue).

Nothing imports this module; it exists for the translation tools only.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

PASSWORD_VALIDATION = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
]
