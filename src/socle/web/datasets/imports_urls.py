"""Routes of a dataset's imports (see ``imports.py``)."""

from django.urls import path

from socle.web.datasets import imports

urlpatterns = [
    path("import/", imports.upload, name="import-depot"),
    path("import/<int:run>/", imports.follow, name="import-suivi"),
    path("import/<int:run>/etat.json", imports.state, name="import-etat"),
]
