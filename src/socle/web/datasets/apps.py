from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "socle.web.datasets"
    label = "datasets"
    verbose_name = "Jeux de données"
