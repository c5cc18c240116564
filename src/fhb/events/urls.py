from django.urls import path

from fhb.events import views

urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("ny/", views.event_new, name="event-new"),
    path("<int:pk>/", views.event_detail, name="event-detail"),
    path("<int:pk>/rediger/", views.event_edit, name="event-edit"),
    path("<int:pk>/tilmeld/", views.event_register, name="event-register"),
    path("<int:pk>/fremmoede/", views.event_attendance, name="event-attendance"),
    path("tilmeldinger/<int:pk>/afmeld/", views.registration_cancel, name="registration-cancel"),
    path("klubbesoeg/", views.club_visit_list, name="club-visit-list"),
    path("klubbesoeg/ny/", views.club_visit_new, name="club-visit-new"),
    path("klubbesoeg/<int:pk>/", views.club_visit_edit, name="club-visit-edit"),
]
