"""The corporate-number import screens. Included in config/urls.py as
`path("companies/imports/nta/", include("kakehashi.companies.urls_nta"))`."""

from django.urls import path

from . import views_nta

app_name = "nta_import"

urlpatterns = [
    path("", views_nta.nta_import_upload, name="upload"),
    path("<int:pk>/", views_nta.nta_import_detail, name="detail"),
]
