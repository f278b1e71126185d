from django.urls import path

from chumchon.matching import views

app_name = "matching"
urlpatterns = [
    path("area/<str:code>/", views.match_page, name="area"),
]
