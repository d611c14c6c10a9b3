"""French custom checks, one module each; see :mod:`socle.validation.custom_checks.base`."""

from socle.validation.custom_checks.base import (
    CheckContext,
    CheckParamsError,
    CustomCheck,
    load_registry,
    register,
)

__all__ = ["CheckContext", "CheckParamsError", "CustomCheck", "load_registry", "register"]
