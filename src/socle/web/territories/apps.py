from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "socle.web.territories"
    label = "territories"
    verbose_name = "Territoires"
