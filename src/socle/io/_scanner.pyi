from collections.abc import Buffer

def scan(
    data: Buffer, start: int, end: int, at_eof: bool, delimiter: int, /
) -> tuple[int, bytes, int, int, int, int]:
    """(cut, cells as int32 bytes, narrowest, widest, irregularity offset, irregularity kind)."""
