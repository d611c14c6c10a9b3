"""Tests of the schema catalogue (socle.schemas and socle schemas …)."""
