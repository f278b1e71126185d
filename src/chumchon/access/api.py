from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.responses import Status

from chumchon.access.services import token_issue
from chumchon.access.throttle import LoginFailed, LoginRefused, login_authenticate
from chumchon.access.web import actor_from_request
from chumchon.core.api import Error, Text, ValidationErrorOut

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: Text
    password: Text


class TokenOut(Schema):
    token: str


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 400: Error, 401: Error, 422: ValidationErrorOut, 429: Error},
    summary="A bearer token for a username and password",
    description=(
        "400: the body is not JSON; 401: wrong username or password; 429: too many failures, wait "
        "the seconds of `Retry-After`."
    ),
)
def obtain_token(request: HttpRequest, response: HttpResponse, payload: TokenIn) -> Status[dict[str, str]]:
    actor = actor_from_request(request)
    try:
        user = login_authenticate(username=payload.username, password=payload.password, actor=actor)
    except LoginRefused as exc:
        response["Retry-After"] = str(exc.retry_after)
        return Status(429, {"detail": str(exc)})
    except LoginFailed as exc:
        return Status(401, {"detail": str(exc)})
    return Status(200, {"token": token_issue(user=user, actor=actor_from_request(request, user))})
