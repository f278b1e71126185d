"""The web API: one NinjaAPI, a router per app, bearer-token auth, scope as on pages."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from chumchon.access.api import router as access_router
from chumchon.access.models import User
from chumchon.access.services import token_authenticate
from chumchon.areas.api import router as areas_router
from chumchon.registry.api import router as registry_router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(key=token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Chumchon API",
    version="1",
    description="Area-scoped API of Chumchon. Anything outside the caller's scope answers 404.",
    auth=BearerToken(),
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/auth", access_router)
api.add_router("/areas", areas_router)
api.add_router("/households", registry_router)


@api.exception_handler(ObjectDoesNotExist)
def not_found(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    # Identical for "missing" and "out of scope": never echo what was asked for.
    return api.create_response(request, {"detail": "ไม่พบข้อมูล (Not found)"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "ไม่มีสิทธิ์ (Forbidden)"}, status=403)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "ต้องเข้าสู่ระบบ (Unauthorized)"}, status=401)
