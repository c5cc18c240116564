from django.urls import path

from fhb.letters import views

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("koersel/<int:pk>/send/", views.send_run, name="send-run"),
    path("udsendelse/<int:pk>/", views.dispatch_detail, name="dispatch-detail"),
    path("<uuid:uuid>/pdf/", views.letter_pdf, name="letter-pdf"),
    path("<uuid:uuid>/memo/", views.letter_memo, name="letter-memo"),
    path("besoeg/<int:pk>/lukket-doer/", views.closed_door_note, name="closed-door-note"),
]
