from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from socle.web import views
from socle.web.accounts.forms import EmailAuthenticationForm

urlpatterns = [
    path("", views.home, name="accueil"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url="/static/socle/favicon.svg", permanent=True)),
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            template_name="socle/connexion.html", authentication_form=EmailAuthenticationForm
        ),
        name="connexion",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="deconnexion"),
    path("", include("socle.web.accounts.urls")),
    path("c/<slug:slug>/", include("socle.web.datasets.urls")),
    path("collectivites/", include("socle.web.territories.urls")),
]

handler400 = "socle.web.views.bad_request"
handler403 = "socle.web.views.forbidden"
handler404 = "socle.web.views.not_found"
handler500 = "socle.web.views.server_error"
