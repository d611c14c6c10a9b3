from django.contrib.auth import views as auth_views
from django.urls import path

from socle.web.accounts import views

urlpatterns = [
    path(
        "mot-de-passe/oublie/",
        auth_views.PasswordResetView.as_view(
            template_name="socle/mdp_demande.html",
            email_template_name="socle/mdp_courriel.txt",
            subject_template_name="socle/mdp_sujet.txt",
            success_url="/mot-de-passe/envoye/",
        ),
        name="mdp-oublie",
    ),
    path(
        "mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="socle/mdp_envoye.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="socle/mdp_nouveau.html", success_url="/mot-de-passe/change/"
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/change/",
        auth_views.PasswordResetCompleteView.as_view(template_name="socle/mdp_change.html"),
        name="password_reset_complete",
    ),
    path("invitation/<str:token>/", views.accept_invitation, name="invitation"),
]
