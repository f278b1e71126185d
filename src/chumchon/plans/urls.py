from django.urls import path

from chumchon.plans import report_views, views

app_name = "plans"
urlpatterns = [
    path("area/<str:code>/", views.plan_page, name="area"),
    path("area/<str:code>/summary/", views.summary, name="summary"),
    path("area/<str:code>/forums/add/", views.forum_add, name="forum_add"),
    path("area/<str:code>/items/add/", views.item_add, name="item_add"),
    path("area/<str:code>/merge/", views.merge, name="merge"),
    path("area/<str:code>/certify/", views.certify, name="certify"),
    path("area/<str:code>/provincial/", views.provincial, name="provincial"),
    path("area/<str:code>/plan.pdf", report_views.plan_pdf, name="plan_pdf"),
    path("area/<str:code>/plan.xlsx", report_views.plan_xlsx, name="plan_xlsx"),
    # A zone of a province: read and written where its province is.
    path("zones/<int:zone_id>/", views.plan_page, name="zone_area"),
    path("zones/<int:zone_id>/forums/add/", views.forum_add, name="zone_forum_add"),
    path("zones/<int:zone_id>/items/add/", views.item_add, name="zone_item_add"),
    path("zones/<int:zone_id>/certify/", views.certify, name="zone_certify"),
    path("zones/<int:zone_id>/provincial/", views.provincial, name="zone_provincial"),
    path("zones/<int:zone_id>/plan.pdf", report_views.plan_pdf, name="zone_plan_pdf"),
    path("zones/<int:zone_id>/plan.xlsx", report_views.plan_xlsx, name="zone_plan_xlsx"),
    path("forums/<int:pk>/", views.forum_page, name="forum"),
    path("forums/<int:pk>/edit/", views.forum_edit, name="forum_edit"),
    path("forums/<int:pk>/question/", views.forum_question, name="forum_question"),
    path("forums/<int:pk>/finding/", views.forum_finding, name="forum_finding"),
    path("forums/<int:pk>/file/", views.forum_file, name="forum_file"),
    path("forums/<int:pk>/files/<int:file_id>/", views.forum_file_get, name="forum_file_get"),
    path("items/<int:pk>/", views.item_page, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/status/", views.item_status, name="item_status"),
    path("items/<int:pk>/evidence/", views.item_evidence, name="item_evidence"),
    path("items/<int:pk>/adoption/", views.item_adoption, name="item_adoption"),
    path("items/<int:pk>/evidence/<int:evidence_id>/file", views.evidence_file, name="evidence_file"),
]
