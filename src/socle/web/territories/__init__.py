"""Authorities (collectivités) and the accompaniment of authorities by ATDs."""
