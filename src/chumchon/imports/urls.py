from django.urls import path

from chumchon.imports import views

app_name = "imports"
urlpatterns = [
    path("tambon/<str:code>/", views.import_page, name="page"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="progress"),
    path("jobs/<int:pk>/errors.xlsx", views.job_errors, {"fmt": "xlsx"}, name="errors_xlsx"),
    path("jobs/<int:pk>/errors.csv", views.job_errors, {"fmt": "csv"}, name="errors_csv"),
    path("templates/<str:kind>.xlsx", views.template_download, name="template"),
]
