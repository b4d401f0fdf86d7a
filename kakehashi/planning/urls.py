from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    path("settings/", views.settings_edit, name="settings"),
    path("quotas/", views.quotas, name="quotas"),
    path("communicators/", views.communicator_list, name="communicators"),
    path("communicators/<int:pk>/", views.communicator_edit, name="communicator_edit"),
    path("communicators/<int:pk>/feed-token/", views.feed_token_reset, name="feed_token_reset"),
    path("constraints/", views.constraint_list, name="constraints"),
    path("constraints/<int:pk>/", views.constraint_edit, name="constraint_edit"),
    path("constraints/<int:pk>/delete/", views.constraint_delete, name="constraint_delete"),
    path("companions/", views.companion_list, name="companions"),
    path("companions/<int:pk>/delete/", views.companion_delete, name="companion_delete"),
    path("plans/build/", views.plan_build, name="plan_build"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/schedule/", views.plan_schedule, name="plan_schedule"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/decide/", views.plan_decide, name="plan_decide"),
    path("plans/<int:pk>/export/", views.plan_export, name="plan_export"),
    path("plans/<int:pk>/visits/<int:visit_pk>/fix/", views.plan_visit_fix, name="plan_visit_fix"),
    path("day/", views.my_day, name="my_day"),
    path("feed/<str:token>.ics", views.ics_feed, name="ics_feed"),
]
