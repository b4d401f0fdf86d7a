"""URLs of the list import. Included under `companies/imports/` with the namespace `company_imports`."""

from django.urls import path

from . import views_import as views

app_name = "company_imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_upload, name="upload"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/columns/", views.import_mapping, name="mapping"),
    path("<int:pk>/progress/", views.import_progress, name="progress"),
    path("<int:pk>/rows/<int:row_pk>/choose/", views.import_row_choose, name="choose"),
    path("<int:pk>/commit/", views.import_commit, name="commit"),
    path("<int:pk>/result/", views.import_result, name="result"),
]
