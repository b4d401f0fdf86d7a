from django.contrib import admin
from django.urls import include, path

from kakehashi.api.api import api

urlpatterns = [
    path("", include("kakehashi.core.urls")),
    path("accounts/", include("kakehashi.accounts.urls")),
    path("reference/", include("kakehashi.reference.urls")),
    path("companies/imports/nta/", include("kakehashi.companies.urls_nta")),
    path("companies/imports/", include("kakehashi.companies.urls_import")),
    path("companies/", include("kakehashi.companies.urls")),
    path("insights/", include("kakehashi.insights.urls")),
    path("sharing/", include("kakehashi.sharing.urls")),
    path("reports/", include("kakehashi.reports.urls")),
    path("outreach/", include("kakehashi.outreach.urls")),
    path("events/", include("kakehashi.events.urls")),
    path("library/", include("kakehashi.outreach.urls_library")),
    path("planning/", include("kakehashi.planning.urls")),
    path("", include("kakehashi.portal.urls")),  # /portal/…, /sitemap.xml, /robots.txt
    path("community/", include("kakehashi.community.urls")),
    path("privacy/", include("kakehashi.privacy.urls")),
    path("handover/", include("kakehashi.handover.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
