from django.urls import path

from chumchon.registry import views

app_name = "registry"
urlpatterns = [
    path("area/<str:code>/", views.household_list, name="list"),
    path("<int:pk>/", views.household_detail, name="detail"),
]
