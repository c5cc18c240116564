from django.urls import path

from fhb.citizens import converters  # noqa: F401 (registers <cpr:...>)
from fhb.offers import case_views, dementia_views, views

urlpatterns = [
    path("koersler/", views.run_list, name="run-list"),
    path("koersler/<int:pk>/", views.run_detail, name="run-detail"),
    path("<int:pk>/svar/", case_views.answer_offer, name="offer-answer"),
    path("<int:pk>/tidspunkt/", case_views.set_visit_time, name="offer-visit-time"),
    path("henvendelser/", case_views.request_list, name="request-list"),
    path("henvendelser/ny/<cpr:cpr>/", case_views.request_new, name="request-new"),
    path("henvendelser/<int:pk>/", case_views.request_detail, name="request-detail"),
    path("opfoelgning/", case_views.follow_up_list, name="follow-up-list"),
    path("demens/", dementia_views.queue, name="dementia-queue"),
    path("demens/<int:pk>/overtag/", dementia_views.take, name="dementia-take"),
]
