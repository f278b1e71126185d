from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from chumchon.access.services import login_failure_record, login_is_locked, token_issue
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
def obtain_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, str]]:
    actor = actor_from_request(request)
    if login_is_locked(username=payload.username, ip=actor.ip):
        return Status(429, {"detail": "พยายามเข้าสู่ระบบผิดหลายครั้งเกินไป กรุณารอ 15 นาที"})
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        login_failure_record(username=payload.username, actor=actor)
        return Status(401, {"detail": "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"})
    return Status(200, {"token": token_issue(user=user, actor=actor_from_request(request, user))})
