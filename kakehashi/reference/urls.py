from django.urls import path

from . import views

app_name = "reference"

urlpatterns = [
    path("", views.index, name="index"),
    path("codes/<slug:list_name>/", views.code_list, name="code_list"),
    path("codes/<slug:list_name>/add/", views.codeitem_add, name="codeitem_add"),
    path("codes/<slug:list_name>/<slug:code>/row/", views.codeitem_row, name="codeitem_row"),
    path("codes/<slug:list_name>/<slug:code>/edit/", views.codeitem_edit, name="codeitem_edit"),
    path("codes/<slug:list_name>/<slug:code>/retire/", views.codeitem_retire, name="codeitem_retire"),
    path("codes/<slug:list_name>/<slug:code>/reactivate/", views.codeitem_reactivate, name="codeitem_reactivate"),
    path("municipalities/", views.municipality_list, name="municipality_list"),
    path("industries/", views.industry_list, name="industry_list"),
    path("regions/<str:prefecture>/<slug:code>/", views.region_detail, name="region_detail"),
    path("regions/<str:prefecture>/<slug:code>/edit/", views.region_edit, name="region_edit"),
]
