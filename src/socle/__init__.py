"""Socle : collecter, produire, valider et publier les données locales.

The core package is framework-free: schemas, readers, the validation engine and the CLI.
"""

__version__ = "0.1.0"
