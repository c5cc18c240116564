from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from fhb.web import views

admin.site.site_header = "fhb – administration"
admin.site.site_title = "fhb"

urlpatterns = [
    path("sundhed/", views.health, name="health"),
    path("log-ind/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("fhb.pages.urls")),
    path("", include("fhb.citizens.urls")),
    path("", include("fhb.visits.urls")),
    path("", include("fhb.privacy.urls")),
    path("journal/", include("fhb.journal.urls")),
    path("tilbud/", include("fhb.offers.urls")),
    path("breve/", include("fhb.letters.urls")),
    path("planlaegning/", include("fhb.planning.urls")),
    path("statistik/", include("fhb.stats.urls")),
    path("statistik/prognose/", include("fhb.forecast.urls")),
    path("job/", include("fhb.jobs.urls")),
    path("admin/", admin.site.urls),
]

if settings.FHB_OIDC_ENABLED:
    # Log-in through the municipality's identity provider (docs/operations.md): /oidc/callback/ and friends.
    urlpatterns.append(path("oidc/", include("fhb.accounts.oidc")))
