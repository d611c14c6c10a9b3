"""``phone-number-value``: the cell is a valid French or international phone number.

As Validata, with the ``phonenumbers`` library: valid if, read as a French number, it is a valid
number or a valid short number (``115``, ``3949``), or else if it is a valid international number
(with its ``+`` country code). Judged once per distinct value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import phonenumbers
import polars as pl

from socle.schemas.model import TableSchema
from socle.validation.custom_checks._common import TEXT, SingleColumnCheck, VerdictCache
from socle.validation.custom_checks.base import register


def _valid_in(value: str, region: str | None) -> bool:
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return False
    if phonenumbers.is_valid_number(number):
        return True
    # Short numbers (emergency, public services) only make sense within a country.
    return region is not None and bool(phonenumbers.is_valid_short_number(number))


def is_valid_phone_number(value: str) -> bool:
    """True if ``value`` is a valid French number (short ones included) or a valid international number."""
    return _valid_in(value, "FR") or _valid_in(value, None)


class PhoneNumberValue(SingleColumnCheck):
    """Validata's ``phone-number-value``."""

    name = "phone-number-value"
    code = "phone-number-value"
    codes = ("phone-number-value",)

    def __init__(self, params: Mapping[str, Any], schema: TableSchema) -> None:
        super().__init__(params, schema)
        self._verdicts = VerdictCache(is_valid_phone_number)

    def bad_rows(self, frame: pl.DataFrame, column: int | None) -> pl.DataFrame:
        return self.report(frame, self._verdicts.invalid(frame.get_column(TEXT)), column)


register(PhoneNumberValue)
