from django.urls import URLPattern, URLResolver, path

from fhb.forecast import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.forecast_page, name="forecast"),
    path("sammenlign/", views.forecast_compare, name="forecast-compare"),
]
