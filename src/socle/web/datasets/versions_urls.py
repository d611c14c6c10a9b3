"""Routes of a dataset's versions: freeze, list, diff, restore (see ``versions.py``). Every view is an ``authority_view`` with a ``dataset`` slug."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
