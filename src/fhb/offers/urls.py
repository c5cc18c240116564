from django.urls import path

from fhb.offers import views

urlpatterns = [
    path("koersler/", views.run_list, name="run-list"),
    path("koersler/<int:pk>/", views.run_detail, name="run-detail"),
]
