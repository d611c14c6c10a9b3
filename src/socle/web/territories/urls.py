"""Pages of the programme's operators over territories (under ``collectivites/``). An ATD's
accompaniments are a page of that authority: ``c/<slug>/accompagnement/``, routed with its pages."""

from django.urls import path

from socle.web.territories import views

urlpatterns = [
    path("nouvelle/", views.create_authority, name="collectivite-nouvelle"),
]
