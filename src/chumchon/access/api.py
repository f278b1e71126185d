from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from chumchon.access.services import login_failure_record, login_is_locked, token_issue
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
    description="400: the body is not JSON; 401: wrong username or password; 429: too many failures, wait.",
)
def obtain_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, str]]:
    actor = actor_from_request(request)
    if login_is_locked(username=payload.username, ip=actor.ip):
        return Status(429, {"detail": "พยายามเข้าสู่ระบบผิดหลายครั้งเกินไป กรุณารอ 15 นาที"})
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        login_failure_record(username=payload.username, actor=actor)
        return Status(401, {"detail": "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"})
    return Status(200, {"token": token_issue(user=user, actor=actor_from_request(request, user))})
