from django.urls import path

from socle.web.datasets import views

urlpatterns = [
    path("", views.authority_home, name="collectivite"),
    path("journal/", views.audit, name="journal"),
    path("jeux/nouveau/", views.create_dataset, name="jeu-nouveau"),
    path("jeux/<slug:dataset>/", views.dataset_home, name="jeu"),
]
