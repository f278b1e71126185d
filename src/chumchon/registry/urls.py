from django.urls import path

from chumchon.registry import views

app_name = "registry"
urlpatterns = [
    path("area/<str:code>/", views.household_list, name="list"),
    path("area/<str:code>/households.xlsx", views.household_list_xlsx, name="list_xlsx"),
    path("search/", views.household_search, name="search"),
    path("area/<str:code>/add/", views.household_add, name="add"),
    path("area/<str:code>/needs/", views.needs_dashboard, name="needs"),
    path("area/<str:code>/verification/", views.verification_report, name="verification"),
    path("area/<str:code>/organisations/", views.organisations, name="organisations"),
    path("area/<str:code>/map/", views.area_map, name="map"),
    path("area/<str:code>/boundaries/", views.boundaries_upload, name="boundaries"),
    path("duplicates/", views.duplicates_queue, name="duplicates"),
    path("duplicates/scan/", views.duplicates_scan_view, name="duplicates_scan"),
    path("duplicates/<int:candidate_id>/resolve/", views.duplicate_resolve_view, name="duplicate_resolve"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/edit/", views.household_edit, name="edit"),
    path("<int:pk>/members/add/", views.member_edit, name="member_add"),
    path("<int:pk>/members/<int:member_id>/edit/", views.member_edit, name="member_edit"),
    path("<int:pk>/members/<int:member_id>/reveal/", views.member_reveal, name="member_reveal"),
    path("<int:pk>/verify/", views.household_verify_view, name="verify"),
    path("<int:pk>/consent/", views.household_consent_view, name="consent"),
    path("<int:pk>/needs/", views.household_needs, name="household_needs"),
    path("<int:pk>/export.json", views.household_export_view, name="export"),
    path("<int:pk>/erase/", views.household_erase_view, name="erase"),
    path("<int:pk>/organisations/", views.organisation_membership, name="membership"),
]
