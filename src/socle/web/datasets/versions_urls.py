"""Routes of a dataset's versions: freeze, list, diff, restore (see ``versions.py``). Every view is an ``authority_view`` with a ``dataset`` slug."""

from django.urls import URLPattern, path

from socle.web.datasets import versions

urlpatterns: list[URLPattern] = [
    path("versions/", versions.version_list, name="versions"),
    path("versions/valider/", versions.freeze_version, name="version-valider"),
    path("versions/comparer/", versions.compare, name="versions-comparer"),
    path("versions/<int:number>/", versions.version_detail, name="version"),
    path("versions/<int:number>/fichier.csv", versions.version_file, name="version-fichier"),
    path("versions/<int:number>/restaurer/", versions.restore_version, name="version-restaurer"),
]
