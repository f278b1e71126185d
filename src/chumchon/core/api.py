"""What every router of the web API shares: the error bodies and the documented answers.

Every error the API gives has one of two bodies, both under ``detail`` (the shapes
django-ninja has always returned, so clients do not break): a sentence for 400, 401,
404 and 429, and a list of problems for 422 (invalid input, a bad month included).
"""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError

NOT_FOUND = "ไม่พบข้อมูล (Not found)"
UNAUTHORIZED = "ต้องเข้าสู่ระบบ (Unauthorized)"


class Error(Schema):
    detail: str


class ValidationProblem(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    detail: list[ValidationProblem]


# The answers an operation behind a bearer token can give besides 200; operations that
# look something up by a code or an id add 404 (also for anything out of the caller's
# scope, exactly as if it did not exist).
AUTHENTICATED: dict[int, type[Schema]] = {401: Error, 422: ValidationErrorOut}
LOOKUP: dict[int, type[Schema]] = {**AUTHENTICATED, 404: Error}

# An official area code: province (2 digits), district (4), tambon (6) or village (8).
AreaCode = Annotated[str, Field(pattern=r"^[0-9]{2}(?:[0-9]{2}){0,3}$", examples=["370101"])]
# Free text that may reach the database (PostgreSQL refuses NUL in text).
Text = Annotated[str, Field(pattern=r"^[^\x00]*$")]


def invalid(field: str, message: str, *, location: str = "query") -> ValidationError:
    """A 422 for one input, in the same shape as django-ninja's own validation errors."""
    return ValidationError([{"type": "value_error", "loc": [location, field], "msg": message}])


def bad_month(field: str) -> ValidationError:
    return invalid(field, _("Not a month: use YYYY-MM, e.g. 2567-03 (a year above 2400 is Buddhist Era)."))
