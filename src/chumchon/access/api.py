from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.responses import Status

from chumchon.access.services import token_issue
from chumchon.access.throttle import LoginFailed, LoginRefused, login_authenticate
from chumchon.access.web import actor_from_request

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class ErrorOut(Schema):
    detail: str


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut})
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
