from django.urls import path

from . import views

app_name = "handover"

urlpatterns = [
    path("", views.export_list, name="export_list"),
    path("exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
