"""Datasets of an authority: metadata, the draft being worked on, frozen versions, the audit trail."""
