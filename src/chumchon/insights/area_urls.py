from django.urls import path

from chumchon.insights.views import areas as views

app_name = "areas"
urlpatterns = [
    path("", views.home, name="home"),
    path("areas/search/", views.area_search, name="search"),
    path("areas/<str:code>/", views.area_detail, name="detail"),
    path("areas/<str:code>/villages/add/", views.village_add, name="village_add"),
    path("areas/<str:code>/zones/add/", views.zone_add, name="zone_add"),
]
