"""The library: the hearing manual (read, PDF, statistics, editor) and the content library."""

from django.urls import path

from .views import content, manuals

app_name = "library"

urlpatterns = [
    path("manuals/", manuals.manual_list, name="manual_list"),
    path("manuals/new/", manuals.manual_create, name="manual_create"),
    path("manuals/<int:pk>/", manuals.manual_detail, name="manual_detail"),
    path("manuals/<int:pk>/pdf/", manuals.manual_pdf, name="manual_pdf"),
    path("manuals/<int:pk>/stats/", manuals.manual_stats, name="manual_stats"),
    path("manuals/<int:pk>/edit/", manuals.manual_edit, name="manual_edit"),
    path("manuals/<int:pk>/draft/", manuals.manual_draft, name="manual_draft"),
    path("manuals/<int:pk>/draft/preview/", manuals.manual_preview, name="manual_preview"),
    path("manuals/<int:pk>/draft/reset/", manuals.manual_reset, name="manual_reset"),
    path("manuals/<int:pk>/draft/publish/", manuals.manual_publish, name="manual_publish"),
    path("manuals/<int:pk>/draft/sections/new/", manuals.manual_section_new, name="manual_section_new"),
    path(
        "manuals/<int:pk>/draft/sections/<slug:section_key>/", manuals.manual_section_edit, name="manual_section_edit"
    ),
    path(
        "manuals/<int:pk>/draft/sections/<slug:section_key>/action/",
        manuals.manual_section_action,
        name="manual_section_action",
    ),
    path(
        "manuals/<int:pk>/draft/sections/<slug:section_key>/questions/new/",
        manuals.manual_question_new,
        name="manual_question_new",
    ),
    path(
        "manuals/<int:pk>/draft/questions/<slug:question_key>/",
        manuals.manual_question_edit,
        name="manual_question_edit",
    ),
    path(
        "manuals/<int:pk>/draft/questions/<slug:question_key>/action/",
        manuals.manual_question_action,
        name="manual_question_action",
    ),
    path("content/", content.content_list, name="content_list"),
    path("content/new/", content.content_create, name="content_create"),
    path("content/usage/", content.content_usage_view, name="content_usage"),
    path("content/<int:pk>/", content.content_detail, name="content_detail"),
    path("content/<int:pk>/edit/", content.content_edit, name="content_edit"),
    path("content/<int:pk>/file/", content.content_file, name="content_file"),
]
