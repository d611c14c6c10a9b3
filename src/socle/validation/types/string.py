"""``string`` and its formats, as frictionless 5.21 checks them.

- ``default``: every text is valid. (``wkt``, which frictionless parses as Well-Known Text, is refused
  by the schema model and not implemented; any other format reads as ``default``.)
- ``email``: the rules of the ``validators`` package that frictionless calls: exactly one ``@``, a
  local part of at most 64 characters made of "atom" characters and dots (or a quoted string, or a
  single accented Latin letter), a domain of at most 253 characters whose IDNA form is made of
  labels of letters, digits and inner hyphens, ending with a letter. A single newline may end the
  local part (Python's ``$``).
- ``uri``: the text starts with a scheme and a colon (``[A-Za-z][A-Za-z0-9+.-]*:``); nothing else is
  checked, as with ``rfc3986`` in frictionless.
- ``uuid``: what ``uuid.UUID()`` reads (``urn:``/``uuid:`` prefixes, braces, dashes anywhere, then 32
  characters that ``int(…, 16)`` reads), any version.
- ``binary``: what ``base64.b64decode()`` reads without ``validate``: ASCII text whose base64
  characters, other characters being ignored, make whole groups or end with correct padding.
"""

from __future__ import annotations

import re
import uuid
from typing import ClassVar

import polars as pl

from socle.validation.types._common import Decision, ascii_only, is_ascii
from socle.validation.types.base import FieldType, register

# --- email ------------------------------------------------------------------------------------------

_LATIN = "\u00a0-\u024f"
"""Latin-1 supplement and Latin extended A and B, allowed in the local part."""
_ATOM_ASCII = "0-9a-zA-Z!#$%&'*+/=?^_`{|}~\\-"
_QUOTED_ASCII = "\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f!#-\\[\\]-\\x7f"

_LOCAL_PY = re.compile(
    f"(?:[{_LATIN}]"
    f"|[{_LATIN}{_ATOM_ASCII}]+(?:\\.[{_LATIN}{_ATOM_ASCII}]+)*"
    f'|"(?:[{_LATIN}{_QUOTED_ASCII}]|\\\\[\\t.])*")$',
    re.IGNORECASE,
)
_DOMAIN_PY = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9][a-z0-9-]{0,61}[a-z]$", re.IGNORECASE
)
_DOMAIN_FORBIDDEN = re.compile(r"\s|__")

# The same rules for ASCII text, in polars' regex dialect, as one expression ($ is the very end:
# Python's $ also matches before a final newline, hence the optional \n; "@" is left out of the
# quoted local part since the address must hold exactly one).
_QUOTED_ASCII_NO_AT = _QUOTED_ASCII.replace("#-\\[", "#-?A-\\[")
_EMAIL_ASCII = (
    f"^(?:[{_ATOM_ASCII}]+(?:\\.[{_ATOM_ASCII}]+)*"
    f'|"(?:[{_QUOTED_ASCII_NO_AT}]|\\\\[\\t.])*")\\n?'
    r"@(?i:(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9][a-z0-9-]{0,61}[a-z])$"
)

MAX_LOCAL = 64
MAX_DOMAIN = 253


def read_email(text: str) -> str | None:
    """Exact rule for one cell: the text when it is an email address, else None."""
    if not text or text.count("@") != 1:
        return None
    local, domain = text.rsplit("@", 1)
    if len(local) > MAX_LOCAL or len(domain) > MAX_DOMAIN:
        return None
    if not _LOCAL_PY.match(local) or not _domain_ok(domain):
        return None
    return text


def _domain_ok(domain: str) -> bool:
    if not domain:
        return False
    try:
        encoded = domain.encode("idna").decode("utf-8")
    except (UnicodeError, ValueError):
        return False
    if len(encoded.rstrip(".")) > MAX_DOMAIN:
        return False
    return not _DOMAIN_FORBIDDEN.search(domain) and bool(_DOMAIN_PY.match(encoded))


def _decide_email_ascii(text: pl.Series) -> tuple[pl.Series, pl.Series]:
    at = text.str.find("@", literal=True)
    ok = text.str.contains(_EMAIL_ASCII) & (at <= MAX_LOCAL) & (text.str.len_bytes() - at - 1 <= MAX_DOMAIN)
    return text, ok


def parse_emails(values: pl.Series) -> tuple[pl.Series, pl.Series]:
    decision = Decision(values, pl.String())
    decision.run(values.is_not_null(), ascii_only(_decide_email_ascii))
    decision.python(decision.pending(), read_email)
    return decision.result()


# --- uri --------------------------------------------------------------------------------------------

_URI = r"^[a-zA-Z][a-zA-Z0-9+.\-]*:"


# --- uuid -------------------------------------------------------------------------------------------

_HEX_INT_ASCII = r"^[\t\n\x0b\x0c\r ]*\+?(?:0[xX]_?)?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*[\t\n\x0b\x0c\r ]*$"


def read_uuid(text: str) -> str | None:
    """Exact rule for one cell: the text when ``uuid.UUID()`` reads it, else None."""
    if not text:
        return None
    try:
        uuid.UUID(text)
    except (ValueError, TypeError):
        return None
    return text


def _decide_uuid_ascii(text: pl.Series) -> tuple[pl.Series, pl.Series]:
    hex_text = (
        text.str.replace_all("urn:", "", literal=True)
        .str.replace_all("uuid:", "", literal=True)
        .str.strip_chars("{}")
        .str.replace_all("-", "", literal=True)
    )
    # Every "-" is gone, so no sign can make the number negative.
    ok = (text.str.len_bytes() > 0) & (hex_text.str.len_bytes() == 32) & hex_text.str.contains(_HEX_INT_ASCII)
    return text, ok


def parse_uuids(values: pl.Series) -> tuple[pl.Series, pl.Series]:
    decision = Decision(values, pl.String())
    # The usual shape first: 8-4-4-4-12 hexadecimal digits.
    canonical = values.str.contains(
        r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    ).fill_null(False)
    decision.set(canonical, values, canonical)
    decision.run(decision.pending(), ascii_only(_decide_uuid_ascii))
    decision.python(decision.pending(), read_uuid)
    return decision.result()


# --- binary -----------------------------------------------------------------------------------------

_B64 = "[A-Za-z0-9+/]"
_B64_END = f"^(?:=*{_B64}=*{_B64}=*{_B64}=*{_B64})*=*{_B64}=*{_B64}(?:==|=*{_B64}=)"
"""A prefix after which ``b64decode`` stops: two data characters of a group then ``==``, or three
then ``=`` (``=`` elsewhere is skipped)."""


_B64_CANONICAL = f"^(?:{_B64}{{4}})*(?:{_B64}{{2}}==|{_B64}{{3}}=)?$"


def _decide_binary(text: pl.Series) -> tuple[pl.Series, pl.Series]:
    # Non-base64 characters are skipped; data characters must then make whole groups of four,
    # unless padding ends the decoding earlier.
    kept = text.str.replace_all(r"[^A-Za-z0-9+/=]", "")
    data = kept.str.replace_all("=", "", literal=True)
    ok = is_ascii(text) & ((data.str.len_bytes() % 4 == 0) | kept.str.contains(_B64_END))
    return text, ok


# --- the type ---------------------------------------------------------------------------------------

_FORMATS_WITH_MESSAGE = frozenset({"email", "uri", "uuid", "binary"})


@register
class StringType(FieldType):
    name: ClassVar[str] = "string"

    @property
    def dtype(self) -> pl.DataType:
        return pl.String()

    def parse(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        fmt = self.field.format
        if fmt == "email":
            return parse_emails(values)
        if fmt == "uuid":
            return parse_uuids(values)
        decision = Decision(values, pl.String())
        if fmt == "uri":
            decision.run(values.is_not_null(), lambda text: (text, text.str.contains(_URI)))
        elif fmt == "binary":
            # Well-formed base64 first; the rest by the lenient rule of b64decode.
            canonical = values.str.contains(_B64_CANONICAL).fill_null(False)
            decision.set(canonical, values, canonical)
            decision.run(decision.pending(), _decide_binary)
        else:
            return values, pl.repeat(True, values.len(), dtype=pl.Boolean, eager=True).alias(values.name)
        return decision.result()

    def fast(self, values: pl.Series) -> tuple[pl.Series, pl.Series | None] | None:
        fmt = self.field.format
        if fmt == "uri":
            return values, values.str.contains(_URI)
        if fmt in {"email", "uuid", "binary"}:
            return None
        return values, None

    def detail(self) -> str:
        fmt = self.field.format
        return f"string/{fmt}" if fmt in _FORMATS_WITH_MESSAGE else "string"
