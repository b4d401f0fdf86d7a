from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("access-log/", views.access_log, name="access_log"),
    path("access-log/export.csv", views.access_log_export, name="access_log_export"),
    path("erasure/", views.erasure_list, name="erasure_list"),
    path("erasure/new/", views.erasure_create, name="erasure_create"),
    path("erasure/<int:pk>/", views.erasure_detail, name="erasure_detail"),
    path("erasure/<int:pk>/review/", views.erasure_review, name="erasure_review"),
    path("erasure/<int:pk>/execute/", views.erasure_execute, name="erasure_execute"),
]
