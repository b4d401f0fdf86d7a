from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("programme/switch/", views.programme_switch, name="programme_switch"),
    path("changelog/", views.changelog, name="changelog"),
    path("healthz", views.healthz, name="healthz"),
]
