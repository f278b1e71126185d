from django.urls import path

from chumchon.matching import agency_views, calendar_views, negotiation_views, views

app_name = "matching"
urlpatterns = [
    path("area/<str:code>/", views.match_page, name="area"),
    path("area/<str:code>/negotiations/", negotiation_views.negotiations, name="negotiations"),
    path("area/<str:code>/calendar/", calendar_views.calendar_page, name="calendar"),
    path("area/<str:code>/calendar/summary/", calendar_views.calendar_summary, name="calendar_summary"),
    path("area/<str:code>/demand/", agency_views.demand, name="demand"),
    path("area/<str:code>/demand.xlsx", agency_views.demand_xlsx, name="demand_xlsx"),
    path("area/<str:code>/ledger/", negotiation_views.ledger, name="ledger"),
    path("negotiations/<int:pk>/", negotiation_views.negotiation, name="negotiation"),
    path("negotiations/<int:pk>/outcome/", negotiation_views.negotiation_outcome, name="negotiation_outcome"),
    path("negotiations/<int:pk>/pack.pdf", negotiation_views.negotiation_pdf, name="negotiation_pdf"),
    path("items/<int:pk>/what-changed/", negotiation_views.item_change, name="item_change"),
    path("ledger/<int:pk>/step/", negotiation_views.match_step, name="match_step"),
]
