from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("join/", views.signup, name="signup"),
    path("join/<str:token>/", views.verify, name="verify"),
    path("home/", views.home, name="home"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/introduce/", views.introduction_create, name="introduction_create"),
    path("members/<int:pk>/ban/", views.member_ban, name="member_ban"),
    path("introductions/", views.introduction_list, name="introduction_list"),
    path("introductions/<int:pk>/answer/", views.introduction_answer, name="introduction_answer"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("topics/<slug:slug>/new/", views.thread_create, name="thread_create"),
    path("threads/<int:pk>/", views.thread_detail, name="thread_detail"),
    path("threads/<int:pk>/meetup/", views.thread_meetup, name="thread_meetup"),
    path("threads/<int:pk>/meetup/event/", views.thread_meetup_draft, name="thread_meetup_draft"),
    path("posts/<int:pk>/report/", views.post_report, name="post_report"),
    path("posts/<int:pk>/moderate/", views.post_moderate, name="post_moderate"),
    path("moderation/", views.moderation, name="moderation"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/advance/", views.project_advance, name="project_advance"),
]
