"""Included at the site root: public pages under /portal/, plus /sitemap.xml and /robots.txt."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    # Public
    path("portal/", views.home, name="home"),
    path("portal/news/", views.article_list, name="article_list"),
    path("portal/news/<int:pk>/", views.article_detail, name="article_detail"),
    path("portal/images/<uuid:pk>/", views.image, name="image"),
    path("portal/it-companies/", views.directory, name="directory"),
    path("portal/it-companies/<int:pk>/", views.itcompany_detail, name="itcompany_detail"),
    path("portal/search/", views.search, name="search"),
    path("portal/consultation/", views.consultation, name="consultation"),
    path("portal/consultation/thanks/", views.consultation_thanks, name="consultation_thanks"),
    path("portal/mail-magazine/", views.magazine, name="magazine"),
    path("portal/mail-magazine/sent/", views.magazine_sent, name="magazine_sent"),
    path("portal/mail-magazine/confirm/<str:token>/", views.magazine_confirm, name="magazine_confirm"),
    path("portal/mail-magazine/unsubscribe/<str:token>/", views.magazine_unsubscribe, name="magazine_unsubscribe"),
    # IT-company members
    path("portal/my-profile/", views.my_profiles, name="my_profiles"),
    path("portal/my-profile/<int:pk>/", views.profile_propose, name="profile_propose"),
    # Staff
    path("portal/manage/articles/", views.manage_articles, name="manage_articles"),
    path("portal/manage/articles/new/", views.article_create, name="article_create"),
    path("portal/manage/articles/<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("portal/manage/articles/preview/", views.article_preview, name="article_preview"),
    path("portal/manage/images/", views.image_upload, name="image_upload"),
    path("portal/manage/it-companies/", views.manage_directory, name="manage_directory"),
    path("portal/manage/it-companies/new/", views.itcompany_create, name="itcompany_create"),
    path("portal/manage/it-companies/<int:pk>/edit/", views.itcompany_edit, name="itcompany_edit"),
    path("portal/manage/revisions/", views.revision_list, name="revision_list"),
    path("portal/manage/revisions/<int:pk>/", views.revision_review, name="revision_review"),
    path("portal/manage/consultations/", views.consultation_inbox, name="consultation_inbox"),
    path("portal/manage/consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("portal/manage/subscribers/", views.subscriber_list, name="subscriber_list"),
    path("portal/manage/subscribers/export.csv", views.subscriber_export, name="subscriber_export"),
    path("portal/manage/magazine/", views.magazine_send, name="magazine_send"),
    path("portal/manage/page-views/", views.page_views, name="page_views"),
]
