"""Reference data shipped with Socle (built from ../shared by ``scripts/build_referentials.py``)."""
