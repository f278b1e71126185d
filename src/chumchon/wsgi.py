import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.umask(0o077)  # what the server writes under var/ is its user's alone
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chumchon.settings")
application = get_wsgi_application()

from chumchon.core.locals import use_thread_locals  # noqa: E402  (after Django is set up)

use_thread_locals()  # a request is served on one thread: no lock on every translation


def _refuse_a_wrong_field_key() -> None:
    from chumchon.ops.keys import FieldKeyRefused, field_key_check

    try:
        field_key_check()
    except FieldKeyRefused as refused:
        raise ImproperlyConfigured(refused.th) from None


_refuse_a_wrong_field_key()
