from django.urls import include, path

from chumchon.api import api
from chumchon.core import views as core_views

urlpatterns = [
    path("", include("chumchon.insights.area_urls")),
    path("accounts/", include("chumchon.access.urls")),
    path("households/", include("chumchon.registry.urls")),
    path("imports/", include("chumchon.imports.urls")),
    path("ledgers/", include("chumchon.ledgers.urls")),
    path("insights/", include("chumchon.insights.urls")),
    path("plans/", include("chumchon.plans.urls")),
    path("matching/", include("chumchon.matching.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("guide/", core_views.guide, name="guide"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("healthz", core_views.healthz, name="healthz"),
]

handler400 = "chumchon.core.views.bad_request"
handler403 = "chumchon.core.views.permission_denied"
handler404 = "chumchon.core.views.page_not_found"
handler500 = "chumchon.core.views.server_error"
