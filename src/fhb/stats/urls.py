from django.urls import include, path

urlpatterns = [
    path("", include("fhb.stats.dashboard_urls")),
    path("prognose/", include("fhb.stats.forecast_urls")),
]
