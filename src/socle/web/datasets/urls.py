from django.urls import include, path

from socle.web.datasets import views
from socle.web.territories import views as territories

urlpatterns = [
    path("", views.authority_home, name="collectivite"),
    path("journal/", views.audit, name="journal"),
    path("membres/", include("socle.web.accounts.members_urls")),
    path("accompagnement/", territories.accompaniments, name="accompagnement"),
    path("jeux/nouveau/", views.create_dataset, name="jeu-nouveau"),
    path("jeux/<slug:dataset>/", views.dataset_home, name="jeu"),
    # The draft (form and grid entry) and the versions (freeze, diff, restore): their own modules.
    path("jeux/<slug:dataset>/", include("socle.web.datasets.entry_urls")),
    path("jeux/<slug:dataset>/", include("socle.web.datasets.versions_urls")),
    path("jeux/<slug:dataset>/", include("socle.web.datasets.imports_urls")),
]
