"""Public event pages under /events/ and staff screens under /events/manage/."""

from django.urls import path

from . import views, views_public

app_name = "events"

urlpatterns = [
    # Public (no account)
    path("", views_public.public_list, name="public_list"),
    path("<uuid:uuid>/", views_public.public_detail, name="public_detail"),
    path("<uuid:uuid>/register/", views_public.register, name="register"),
    path("ticket/<str:token>/", views_public.ticket, name="ticket"),
    path("ticket/<str:token>/event.ics", views_public.ticket_ics, name="ticket_ics"),
    path("ticket/<str:token>/cancel/", views_public.cancel, name="cancel"),
    path("ticket/<str:token>/table/", views_public.my_table, name="my_table"),
    path("survey/<str:token>/", views_public.survey, name="survey"),
    # Staff
    path("manage/", views.event_list, name="list"),
    path("manage/kpis/", views.kpis, name="kpis"),
    path("manage/new/", views.event_create, name="create"),
    path("manage/<int:pk>/", views.event_detail, name="detail"),
    path("manage/<int:pk>/edit/", views.event_edit, name="edit"),
    path("manage/<int:pk>/publish/", views.event_publish, name="publish"),
    path("manage/<int:pk>/qr.svg", views.event_qr, name="event_qr"),
    path("manage/<int:pk>/registrations/", views.registration_list, name="registrations"),
    path(
        "manage/<int:pk>/registrations/<int:registration_pk>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "manage/<int:pk>/registrations/<int:registration_pk>/match/",
        views.registration_match,
        name="registration_match",
    ),
    path(
        "manage/<int:pk>/registrations/<int:registration_pk>/hearing/",
        views.registration_hearing,
        name="registration_hearing",
    ),
    path("manage/<int:pk>/checkin/", views.checkin, name="checkin"),
    path("manage/<int:pk>/checkin/count/", views.checkin_count, name="checkin_count"),
    path("manage/<int:pk>/checkin/code/", views.checkin_code, name="checkin_code"),
    path("manage/<int:pk>/checkin/walk-in/", views.checkin_walk_in, name="checkin_walk_in"),
    path("manage/<int:pk>/checkin/<int:registration_pk>/", views.checkin_person, name="checkin_person"),
    path("manage/<int:pk>/questions/<slug:purpose>/", views.questionnaire_edit, name="questionnaire_edit"),
    path("manage/<int:pk>/survey/send/", views.survey_send, name="survey_send"),
    path("manage/<int:pk>/survey/results/", views.survey_results, name="survey_results"),
    path("manage/<int:pk>/survey/export.xlsx", views.survey_export, name="survey_export"),
    path("manage/<int:pk>/tables/", views.mixing, name="mixing"),
    path("manage/<int:pk>/tables/round/", views.mixing_round, name="mixing_round"),
    path("manage/<int:pk>/tables/print/", views.table_sheets, name="table_sheets"),
]
