from django.urls import path

from .views import visits

app_name = "outreach"

urlpatterns = [
    path("visits/", visits.visit_list, name="visit_list"),
    path("visits/today/", visits.visit_today, name="visit_today"),
    path("visits/new/", visits.visit_new, name="visit_new"),
    path("visits/export/<str:fmt>/", visits.visit_export, name="visit_export"),
    path("visits/company-search/", visits.visit_company_search, name="visit_company_search"),
    path("visits/company-pick/", visits.visit_company_pick, name="visit_company_pick"),
    path("visits/company-new/", visits.visit_company_create, name="visit_company_create"),
    path("visits/content-suggestions/", visits.visit_content_suggestions, name="visit_content_suggestions"),
    path("visits/<uuid:uuid>/", visits.visit_detail, name="visit_detail"),
    path("visits/<uuid:uuid>/edit/", visits.visit_edit, name="visit_edit"),
    path("visits/<uuid:uuid>/autosave/", visits.visit_autosave, name="visit_autosave"),
    path("visits/<uuid:uuid>/review/", visits.visit_review, name="visit_review"),
    path("visits/<uuid:uuid>/discard/", visits.visit_discard, name="visit_discard"),
    path("visits/<uuid:uuid>/attachments/", visits.attachment_upload, name="visit_attachment_upload"),
    path("visits/<uuid:uuid>/attachments/<int:pk>/", visits.attachment_download, name="visit_attachment"),
    path("visits/<uuid:uuid>/attachments/<int:pk>/delete/", visits.attachment_delete, name="visit_attachment_delete"),
]
