from django.urls import path

from chumchon.access import views

app_name = "access"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("audit/", views.audit_log, name="audit"),
]
