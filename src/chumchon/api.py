"""The web API: one NinjaAPI, a router per app, bearer-token auth, scope as on pages.

Every answer is documented in ``/api/openapi.json`` (tests/test_openapi_conformance.py
holds the API to it): 401 without a valid token, 404 for anything missing *or* out of
scope, 422 for invalid input, each with the bodies of :mod:`chumchon.core.api`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import HttpBearer

from chumchon.access.api import router as access_router
from chumchon.access.models import User
from chumchon.access.services import token_authenticate
from chumchon.core.api import NOT_FOUND, UNAUTHORIZED
from chumchon.insights.areas_api import router as areas_router
from chumchon.ledgers.api import router as ledgers_router
from chumchon.plans.api import router as plans_router
from chumchon.registry.api import router as registry_router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(key=token)
        if user is not None:
            request.user = user
        return user


class ChumchonAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"]["securitySchemes"]["BearerToken"].update(
            bearerFormat="opaque token from POST /api/auth/token",
            description="`Authorization: Bearer <token>`; the token expires, then the API answers 401.",
        )
        # Bearer everywhere unless an operation says otherwise; the public ones say so.
        schema["security"] = [{"BearerToken": []}]
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation.setdefault("security", [])
        return schema


api = ChumchonAPI(
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
api.add_router("/categories", ledgers_router)
api.add_router("/plans", plans_router)


@api.exception_handler(ObjectDoesNotExist)
@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Identical for "missing" and "out of scope": never echo what was asked for.
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "ไม่มีสิทธิ์ (Forbidden)"}, status=403)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": UNAUTHORIZED}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="chumchon"'
    return response
