from django.urls import path

from fhb.citizens import converters  # noqa: F401 (registers <cpr:...>)
from fhb.privacy import views

urlpatterns = [
    path("borgere/<cpr:cpr>/indsigt/", views.citizen_export, name="citizen-export"),
]
