import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.umask(0o077)  # what the server writes under var/ is its user's alone
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chumchon.settings")
application = get_wsgi_application()


def _refuse_a_wrong_field_key() -> None:
    from chumchon.ops.keys import FieldKeyRefused, field_key_check

    try:
        field_key_check()
    except FieldKeyRefused as refused:
        raise ImproperlyConfigured(refused.th) from None


_refuse_a_wrong_field_key()
