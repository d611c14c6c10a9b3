"""Routes of a dataset's the draft: form entry, grid entry (see ``entry.py``). Every view is an ``authority_view`` with a ``dataset`` slug."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
