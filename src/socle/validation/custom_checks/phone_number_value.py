"""``phone-number-value``: the cell is a valid French or international phone number.

As Validata, with the ``phonenumbers`` library: valid if, read as a French number, it is a valid
number or a valid short number (``115``, ``3949``), or else if it is a valid international number
(with its ``+`` country code). Judged once per distinct value.

``phonenumbers`` costs some 30 µs a value, too much for a column of a million different numbers. The
usual French shapes (``0X XX XX XX XX``, ``0XXXXXXXXX``, ``+33 X XX XX XX XX``…) are therefore judged
in polars with the very patterns of ``phonenumbers``' metadata for France: for such a value, the
library's verdict is "the 9 national digits match the general pattern and one number type's pattern"
(a test checks that both ways agree). Other values go through the library.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import polars as pl

from socle.schemas.model import TableSchema
from socle.validation.custom_checks._common import TEXT, SingleColumnCheck, VerdictCache
from socle.validation.custom_checks.base import register

NATIONAL_LENGTH = 9
# French numbers written in full, with no separator or with one kind of separator between pairs.
_FRENCH_SHAPE = (
    r"^(?:0[1-9](?:[0-9]{8}|(?: [0-9]{2}){4}|(?:\.[0-9]{2}){4}|(?:-[0-9]{2}){4})"
    r"|\+33 ?[1-9](?:[0-9]{8}|(?: [0-9]{2}){4}))$"
)


def _valid_in(value: str, region: str | None) -> bool:
    import phonenumbers  # only schemas that use the check load it

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


@cache
def french_patterns() -> tuple[str, str] | None:
    """``(general, any type)`` full-match patterns of 9-digit French national numbers, from the metadata
    of the installed ``phonenumbers`` (``None`` if that metadata does not have the expected form)."""
    import phonenumbers  # only schemas that use the check load it

    metadata = phonenumbers.PhoneMetadata.metadata_for_region("FR")
    general = metadata.general_desc if metadata is not None else None
    if metadata is None or general is None or not general.national_number_pattern:
        return None
    if general.possible_length and NATIONAL_LENGTH not in general.possible_length:
        return None
    descs = (
        metadata.premium_rate,
        metadata.toll_free,
        metadata.shared_cost,
        metadata.voip,
        metadata.personal_number,
        metadata.pager,
        metadata.uan,
        metadata.voicemail,
        metadata.fixed_line,
        metadata.mobile,
    )
    types = [
        d.national_number_pattern
        for d in descs
        if d is not None
        and d.national_number_pattern
        and (not d.possible_length or NATIONAL_LENGTH in d.possible_length)
    ]
    if not types:
        return None
    return f"^(?:{general.national_number_pattern})$", "^(?:" + "|".join(f"(?:{t})" for t in types) + ")$"


def _national_digits(text: pl.Expr) -> pl.Expr:
    digits = text.str.replace_all("[^0-9]", "")
    return pl.when(text.str.starts_with("+")).then(digits.str.slice(2)).otherwise(digits.str.slice(1))


def split_french(distinct: pl.Series) -> tuple[list[str], list[str]]:
    """``(invalid, not judged)``: the values of the usual French shapes that are invalid, and the values
    of other shapes, left to ``phonenumbers``."""
    patterns = french_patterns()
    if patterns is None:
        return [], distinct.to_list()
    general, any_type = patterns
    value = pl.col(TEXT)
    frame = distinct.alias(TEXT).to_frame().with_columns(value.str.contains(_FRENCH_SHAPE).alias("french"))
    french = frame.filter(pl.col("french")).with_columns(_national_digits(value).alias("nsn"))
    nsn = pl.col("nsn")
    invalid = french.filter(~(nsn.str.contains(general) & nsn.str.contains(any_type)))
    return invalid.get_column(TEXT).to_list(), frame.filter(~pl.col("french")).get_column(TEXT).to_list()


class PhoneNumberValue(SingleColumnCheck):
    """Validata's ``phone-number-value``."""

    name = "phone-number-value"
    code = "phone-number-value"
    codes = ("phone-number-value",)

    def __init__(self, params: Mapping[str, Any], schema: TableSchema) -> None:
        super().__init__(params, schema)
        self._verdicts = VerdictCache(is_valid_phone_number)

    def bad_rows(self, frame: pl.DataFrame, column: int | None) -> pl.DataFrame:
        values = frame.get_column(TEXT)
        invalid, others = split_french(values.unique())
        bad: Sequence[str] = invalid + self._verdicts.invalid_values(others)
        mask = values.is_in(pl.Series(bad, dtype=pl.String).implode())
        return self.report(frame, mask, column)


register(PhoneNumberValue)
