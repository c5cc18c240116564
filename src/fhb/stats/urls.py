from django.urls import path

from fhb.stats import dashboard_views as views

urlpatterns = [
    path("", views.stats_dashboard, name="stats-dashboard"),
    path("eksport/<slug:key>.csv", views.stats_csv, name="stats-csv"),
    path("eksport.xlsx", views.stats_xlsx, name="stats-xlsx"),
    path("rapport.pdf", views.stats_report, name="stats-report"),
]
