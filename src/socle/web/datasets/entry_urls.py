"""Routes of a dataset's draft: form entry, grid entry (see ``entry.py``). Every view is an
``authority_view`` with a ``dataset`` slug; a row is named by ``?ligne=N``."""

from django.urls import URLPattern, path

from socle.web.datasets import entry

urlpatterns: list[URLPattern] = [
    path("saisie/", entry.form_entry, name="jeu-saisie"),
    path("saisie/verifier/", entry.check_entry, name="jeu-saisie-verifier"),
    path("grille/", entry.grid, name="jeu-grille"),
    path("grille/cellule/", entry.grid_cell, name="jeu-grille-cellule"),
    path("lignes/supprimer/", entry.delete_entry, name="jeu-ligne-supprimer"),
]
