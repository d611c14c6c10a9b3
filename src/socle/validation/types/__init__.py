"""Table Schema field types, one module each; see :mod:`socle.validation.types.base`."""

from socle.validation.types.base import FieldType, field_type, load_registry, register

__all__ = ["FieldType", "field_type", "load_registry", "register"]
