from django.urls import URLPattern, URLResolver, path

from fhb.stats import forecast_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", forecast_views.forecast_page, name="forecast"),
    path("sammenlign/", forecast_views.forecast_compare, name="forecast-compare"),
]
