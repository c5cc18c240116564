from django.urls import path

from fhb.citizens import views

urlpatterns = [
    path("indlaesning/", views.import_page, name="import"),
    path("indlaesning/<int:pk>/", views.import_run, name="import-run"),
    path("indlaesning/forhaandsvisning/<int:pk>/", views.import_preview, name="import-preview"),
]
