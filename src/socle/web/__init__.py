"""Socle's web platform: a Django project whose apps are thin layers over the core (:mod:`socle`).

Authorities (territories), accounts and roles (accounts), datasets with their drafts, versions and
audit trail (datasets). Every page that shows an authority's data goes through
:mod:`socle.web.tenancy`, the one place that decides who may see and do what.
"""
