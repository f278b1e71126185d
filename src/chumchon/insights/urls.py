"""Insights pages: the area dashboard, the rows behind a figure, the figure map.

Area-scoped like the other apps' pages (``<prefix>/area/<code>/…``): an area the user
may not see answers 404, the same as one that does not exist.
"""

from django.urls import path

from chumchon.insights import forum_views, views

app_name = "insights"
urlpatterns = [
    path("area/<str:code>/", views.dashboard, name="dashboard"),
    path("area/<str:code>/rows/", views.figure_rows, name="rows"),
    path("area/<str:code>/rows.xlsx", views.figure_rows_xlsx, name="rows_xlsx"),
    path("area/<str:code>/map/", views.figure_map, name="map"),
    path("area/<str:code>/todo/", views.tambon_todo, name="todo"),
    path("area/<str:code>/enterprises/", views.area_enterprises, name="enterprises"),
    # forum pack (C)
    path("area/<str:code>/forum.pdf", forum_views.forum_pdf, name="forum_pdf"),
    path("area/<str:code>/forum.xlsx", forum_views.forum_xlsx, name="forum_xlsx"),
    path("area/<str:code>/forum/batch/", forum_views.forum_batch, name="forum_batch"),
    path("forum/batch/<str:token>/", forum_views.forum_batch_status, name="forum_batch_status"),
    path("forum/batch/<str:token>/progress/", forum_views.forum_batch_progress, name="forum_batch_progress"),
    path("forum/batch/<str:token>.zip", forum_views.forum_batch_zip, name="forum_batch_zip"),
]
