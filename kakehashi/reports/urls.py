from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path("<int:pk>/regenerate/", views.report_regenerate_view, name="regenerate"),
    path("<int:pk>/delete/", views.report_delete_view, name="delete"),
]
