from collections.abc import Buffer
from typing import final

def scan(
    data: Buffer, start: int, end: int, at_eof: bool, delimiter: int, expected: int, /
) -> tuple[int, int, list[int], list[int], int, int, int]:
    """(cut, records, indices and cells of the records without ``expected`` cells, widest,
    irregularity offset, irregularity kind)."""

@final
class Text(Buffer):
    """A slice's bytes, read-only, shared with the columns built from them (made by :func:`copy`)."""

    def __buffer__(self, flags: int, /) -> memoryview: ...
    def __len__(self) -> int: ...

def copy(data: Buffer, start: int, end: int, /) -> Text:
    """``data[start:end]`` for :func:`columns`."""

def columns(
    text: Text, delimiter: int, names: list[str], records: int, utf8: bool, /
) -> list[tuple[object, object]] | None:
    """One (arrow_schema, arrow_array) capsule pair per column of a regular slice of ``records``
    records, or None when the slice is not regular (or, ``utf8`` true, not valid UTF-8)."""

def texts() -> int:
    """Slice copies (and buffers of unquoted cells) still held, by :class:`Text` objects or columns."""
