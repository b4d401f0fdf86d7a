from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/<uuid:uuid>/", views.referral_create, name="referral_create"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/move/", views.referral_move, name="referral_move"),
    path("advice/", views.advice_list, name="advice_list"),
    path("advice/new/", views.advice_new, name="advice_new"),
    path("advice/<int:pk>/", views.advice_detail, name="advice_detail"),
    path("advice/<int:pk>/close/", views.advice_close, name="advice_close"),
    path("priority/", views.priority_list, name="priority_list"),
    path("priority/recompute/", views.priority_recompute, name="priority_recompute"),
    path("priority/weights/", views.priority_weights, name="priority_weights"),
    path("priority/export/<str:fmt>/", views.priority_export, name="priority_export"),
    path("priority/<int:company_pk>/decide/", views.priority_decide, name="priority_decide"),
]
