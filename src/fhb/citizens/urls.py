from django.urls import path

from fhb.citizens import (
    converters,  # noqa: F401 (registers <cpr:...>)
    export_views,
    views,
)

urlpatterns = [
    path("borgere/", views.citizen_list, name="citizen-list"),
    path("borgere/<cpr:cpr>/", views.citizen_detail, name="citizen-detail"),
    path("borgere/<cpr:cpr>/indsigt/", export_views.citizen_export, name="citizen-export"),
    path("indlaesning/", views.import_page, name="import"),
    path("indlaesning/<int:pk>/", views.import_run, name="import-run"),
]
