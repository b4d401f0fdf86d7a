from django.contrib import admin
from django.urls import include, path

from kakehashi.api.api import api

urlpatterns = [
    path("", include("kakehashi.core.urls")),
    path("accounts/", include("kakehashi.accounts.urls")),
    path("reference/", include("kakehashi.reference.urls")),
    path("companies/", include("kakehashi.companies.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

