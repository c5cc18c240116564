from django.urls import path

from fhb.citizens import converters  # noqa: F401 (registers <cpr:...>)
from fhb.offers import assessment_views, dementia_views, request_views, views

urlpatterns = [
    path("koersler/", views.run_list, name="run-list"),
    path("koersler/<int:pk>/", views.run_detail, name="run-detail"),
    path("henvendelser/", request_views.request_list, name="request-list"),
    path("henvendelser/ny/<cpr:cpr>/", request_views.request_new, name="request-new"),
    path("henvendelser/<int:pk>/", request_views.request_detail, name="request-detail"),
    path("vurderinger/", assessment_views.assessment_list, name="assessment-list"),
    path("vurderinger/<int:pk>/", assessment_views.assessment_detail, name="assessment-detail"),
    path("vurderinger/henvisning/<cpr:cpr>/", assessment_views.referral_new, name="referral-new"),
    path("demens/", dementia_views.queue, name="dementia-queue"),
    path("demens/<int:pk>/overtag/", dementia_views.take, name="dementia-take"),
]
