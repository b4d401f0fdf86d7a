from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("", views.company_list, name="list"),
    path("export/<str:fmt>/", views.company_export, name="export"),
    path("new/", views.company_create, name="create"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path("<int:pk>/", views.company_detail, name="detail"),
    path("<int:pk>/edit/", views.company_update, name="update"),
    path("<int:pk>/merge/<int:other_pk>/", views.company_merge, name="merge"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", views.contact_update, name="contact_update"),
    path("<int:pk>/contacts/<int:contact_pk>/delete/", views.contact_delete, name="contact_delete"),
]
