from collections.abc import Buffer

def scan(
    data: Buffer, start: int, end: int, at_eof: bool, delimiter: int, expected: int, /
) -> tuple[int, int, list[int], list[int], int, int, int]:
    """(cut, records, indices and cells of the records without ``expected`` cells, widest,
    irregularity offset, irregularity kind)."""
