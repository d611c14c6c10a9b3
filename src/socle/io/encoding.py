"""Text encoding of CSV files: detection, and a stream of UTF-8 chunks for the parser.

Detection looks at the bytes, never guesses silently: a BOM decides UTF-16 and UTF-8 (unless the body
after a UTF-8 BOM is not UTF-8: the "lying BOM" of some Windows exports, then Windows-1252); without
a BOM, the first non-ASCII bytes decide between UTF-8 and Windows-1252. A file that is mostly UTF-8
but also holds bytes that are not is refused ("encodage mixte") rather than read with wrong letters.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from socle.errors import Location, UnusableInputError, UsageError

UTF8_BOM = codecs.BOM_UTF8
UTF16_LE_BOM = codecs.BOM_UTF16_LE
UTF16_BE_BOM = codecs.BOM_UTF16_BE

# How much text after the first non-ASCII byte decides between UTF-8 and Windows-1252.
DETECTION_WINDOW = 1024 * 1024
# Raw bytes transcoded at once (non-UTF-8 files).
TRANSCODE_CHUNK = 4 * 1024 * 1024
# Chunk size used while looking for the first non-ASCII byte of a long ASCII prefix.
_SCAN_CHUNK = 8 * 1024 * 1024

# Windows-1252 as browsers decode it (WHATWG): the five bytes Python's cp1252 leaves undefined map
# to the C1 control characters of the same value, as in Latin-1, so that no byte is undecodable.
_UNDEFINED_IN_CP1252 = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
WINDOWS_1252_TABLE = "".join(
    chr(b) if b in _UNDEFINED_IN_CP1252 else bytes([b]).decode("cp1252") for b in range(256)
)

WINDOWS_1252 = "windows-1252"
"""Label of the detected Windows-1252 / Latin-1 encoding (WHATWG decoding, never fails)."""


@dataclass(frozen=True)
class EncodingChoice:
    """How the bytes of a CSV file are turned into text."""

    label: str
    """Name reported to the user: utf-8, utf-8-sig, windows-1252, utf-16-le, utf-16-be, or a forced codec."""
    codec: str
    """Python codec used to decode the body (``windows-1252`` means the WHATWG table above)."""
    bom_length: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    forced: bool = False
    """The user gave the encoding (errors are then not called "mixed")."""

    @property
    def passthrough(self) -> bool:
        """True when the body bytes are already UTF-8 (offsets in the UTF-8 stream are file offsets)."""
        return self.codec == "utf-8"


def _display_name(path: Path) -> str:
    return path.name


def decode_error(
    path: Path, label: str, offset: int, line: int | None, reason: str = ""
) -> UnusableInputError:
    """French error for bytes that cannot be decoded in ``label`` at file ``offset``."""
    detail = f" ({reason})" if reason else ""
    return UnusableInputError(
        f"Le fichier contient des octets impossibles à décoder en {label}{detail} : corrigez l'encodage "
        "du fichier (enregistrez-le en UTF-8) ou indiquez le bon encodage.",
        Location(file=_display_name(path), row=line, byte_offset=offset),
    )


def nul_error(path: Path, offset: int, line: int | None) -> UnusableInputError:
    """French error for a NUL byte, the mark of a binary (non-text) file."""
    return UnusableInputError(
        "Le fichier contient un octet nul : ce n'est pas un fichier texte CSV "
        "(peut-être un tableur mal nommé, ou de l'UTF-16 sans BOM).",
        Location(file=_display_name(path), row=line, byte_offset=offset),
    )


def line_at(path: Path, offset: int) -> int:
    """Physical line number (1-based) of the byte at ``offset`` in an ASCII-compatible file."""
    line = 1
    done = 0
    with path.open("rb") as handle:
        while done < offset:
            chunk = handle.read(min(_SCAN_CHUNK, offset - done))
            if not chunk:
                break
            line += chunk.count(b"\n")
            done += len(chunk)
    return line


def _first_non_ascii(handle: BinaryIO, start: int) -> int | None:
    """File offset of the first byte ≥ 0x80 at or after ``start``, or None."""
    handle.seek(start)
    position = start
    while True:
        chunk = handle.read(_SCAN_CHUNK)
        if not chunk:
            return None
        if not chunk.isascii():
            # isascii stops at the first non-ASCII byte, so halving finds it in O(n) total.
            low, high = 0, len(chunk)
            while high - low > 1:
                middle = (low + high) // 2
                if chunk[low:middle].isascii():
                    low = middle
                else:
                    high = middle
            return position + low
        position += len(chunk)


def _count_utf8(window: bytes) -> tuple[int, int]:
    """(valid multi-byte sequences, invalid sequences) in ``window``, ignoring a cut final sequence."""
    text, _ = codecs.utf_8_decode(window, "replace", False)
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    genuine_replacement = window.count("\ufffd".encode())
    invalid = text.count("\ufffd") - genuine_replacement
    return non_ascii - invalid, invalid


def _decide_body(path: Path, handle: BinaryIO, body_start: int) -> tuple[str, bool]:
    """('utf-8' or 'windows-1252', whether a few valid UTF-8 sequences were seen in Windows-1252)
    for the bytes after ``body_start``; raises on mixed encodings."""
    first = _first_non_ascii(handle, body_start)
    if first is None:
        return "utf-8", False
    handle.seek(first)
    window = handle.read(DETECTION_WINDOW)
    try:
        codecs.utf_8_decode(window, "strict", False)
    except UnicodeDecodeError as error:
        valid, invalid = _count_utf8(window)
        if valid > 0 and valid >= invalid:
            offset = first + error.start
            raise decode_error(
                path,
                "UTF-8",
                offset,
                line_at(path, offset),
                "encodage mixte : le fichier contient du texte UTF-8 et des octets qui n'en sont pas",
            ) from None
        return WINDOWS_1252, valid > 0
    return "utf-8", False


def resolve_forced(name: str) -> str:
    """Canonical Python codec name for a user-given encoding, or UsageError."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise UsageError(f"Encodage inconnu : « {name} » (exemples : utf-8, windows-1252, utf-16).") from None


def detect_encoding(path: Path, forced: str | None = None) -> EncodingChoice:
    """Choose how to decode ``path`` (a non-empty file); ``forced`` is a codec name given by the user."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if forced is not None:
            return _forced_choice(head, resolve_forced(forced))
        by_bom = _utf16_by_bom(head)
        if by_bom is not None:
            return by_bom
        if head.startswith(UTF8_BOM):
            return _after_utf8_bom(path, handle)
        body, lookalikes = _decide_body(path, handle, 0)
        if body == "utf-8":
            return EncodingChoice("utf-8", "utf-8", 0, ("Encodage détecté : UTF-8.",))
        notes = ("Encodage détecté : Windows-1252 (Latin-1).", *_lookalike_note(lookalikes))
        return EncodingChoice(WINDOWS_1252, WINDOWS_1252, 0, notes)


def _utf16_by_bom(head: bytes) -> EncodingChoice | None:
    if head.startswith(UTF16_LE_BOM):
        return EncodingChoice("utf-16-le", "utf-16-le", 2, ("Encodage détecté : UTF-16 LE (avec BOM).",))
    if head.startswith(UTF16_BE_BOM):
        return EncodingChoice("utf-16-be", "utf-16-be", 2, ("Encodage détecté : UTF-16 BE (avec BOM).",))
    return None


def _after_utf8_bom(path: Path, handle: BinaryIO) -> EncodingChoice:
    body, lookalikes = _decide_body(path, handle, len(UTF8_BOM))
    if body == "utf-8":
        return EncodingChoice("utf-8-sig", "utf-8", 3, ("Encodage détecté : UTF-8 avec BOM.",))
    note = "BOM UTF-8 suivi d'un contenu Windows-1252 : le BOM est ignoré et le contenu lu en Windows-1252."
    return EncodingChoice(WINDOWS_1252, WINDOWS_1252, 3, (note, *_lookalike_note(lookalikes)))


def _lookalike_note(lookalikes: bool) -> tuple[str, ...]:
    if not lookalikes:
        return ()
    return (
        "Quelques séquences d'octets y sont aussi de l'UTF-8 valide (lues ici comme deux caractères "
        "Windows-1252, par exemple « Ã© ») : vérifiez les accents.",
    )


def _forced_choice(head: bytes, codec: str) -> EncodingChoice:
    notes = (f"Encodage imposé : {codec}.",)
    if codec in ("utf-8", "utf-8-sig"):
        bom = len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0
        return EncodingChoice(codec, "utf-8", bom, notes, forced=True)
    if codec == "utf-16":
        if head.startswith(UTF16_BE_BOM):
            return EncodingChoice("utf-16-be", "utf-16-be", 2, notes, forced=True)
        bom = 2 if head.startswith(UTF16_LE_BOM) else 0
        return EncodingChoice("utf-16-le", "utf-16-le", bom, notes, forced=True)
    boms = {"utf-16-le": UTF16_LE_BOM, "utf-16-be": UTF16_BE_BOM}
    bom = 2 if codec in boms and head.startswith(boms[codec]) else 0
    return EncodingChoice(codec, codec, bom, notes, forced=True)


class Utf8Stream:
    """The body of a CSV file as UTF-8 bytes, read into the caller's buffers.

    UTF-8 files pass through unchanged, read straight into the buffer (they are validated later, by
    the parser, so that valid files are not decoded twice); other encodings are transcoded chunk by
    chunk, with decoding errors reported at their byte offset in the file. Use as a context manager.
    """

    def __init__(self, path: Path, choice: EncodingChoice, chunk_bytes: int) -> None:
        self.path = path
        self.choice = choice
        # Transcoding goes through a str of up to 4 bytes per character: small chunks keep that
        # temporary small, whatever the slice size of the parser.
        self.chunk_bytes = max(min(chunk_bytes, TRANSCODE_CHUNK), 4)
        self._lines_before = 1  # physical line of the next transcoded character (for error messages)
        self._handle: io.BufferedReader | None = None
        self._raw_position = choice.bom_length
        self._transcoded: Iterator[bytes] | None = None
        self._pending = b""
        self._pending_at = 0

    def __enter__(self) -> Utf8Stream:
        handle = self.path.open("rb")
        handle.seek(self.choice.bom_length)
        self._handle = handle
        if not self.choice.passthrough:
            single = self.choice.codec == WINDOWS_1252
            self._transcoded = self._single_byte(handle) if single else self._incremental(handle)
        return self

    def __exit__(self, *_: object) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def raw_offset(self, utf8_offset: int) -> int:
        """File offset of a byte of the UTF-8 stream; only meaningful for pass-through files."""
        return self.choice.bom_length + utf8_offset

    def readinto(self, buffer: bytearray, start: int, end: int | None = None) -> int:
        """Write the next UTF-8 bytes into ``buffer[start:end]``; 0 at the end of the file."""
        if self._handle is None:
            raise ValueError("Utf8Stream must be opened with a with statement")
        stop = len(buffer) if end is None else end
        if self._transcoded is None:
            with memoryview(buffer) as view:
                count = self._handle.readinto(view[start:stop])
            position = buffer.find(b"\x00", start, start + count)
            if position >= 0:
                raw = self._raw_position + position - start
                raise nul_error(self.path, raw, line_at(self.path, raw))
            self._raw_position += count
            return count
        while self._pending_at >= len(self._pending):
            chunk = next(self._transcoded, None)
            if chunk is None:
                return 0
            self._pending, self._pending_at = chunk, 0
        count = min(stop - start, len(self._pending) - self._pending_at)
        with memoryview(self._pending) as view:
            buffer[start : start + count] = view[self._pending_at : self._pending_at + count]
        self._pending_at += count
        return count

    def read(self, size: int) -> bytes:
        """Up to ``size`` next UTF-8 bytes (fewer only at the end of the file)."""
        buffer = bytearray(size)
        filled = 0
        while filled < size:
            count = self.readinto(buffer, filled)
            if count == 0:
                break
            filled += count
        del buffer[filled:]
        return bytes(buffer)

    def _single_byte(self, handle: BinaryIO) -> Iterator[bytes]:
        offset = self.choice.bom_length
        while chunk := handle.read(self.chunk_bytes):
            self._check_nul(chunk, offset)
            offset += len(chunk)
            if chunk.isascii():
                yield chunk
            else:
                yield codecs.charmap_decode(chunk, "strict", WINDOWS_1252_TABLE)[0].encode("utf-8")

    def _check_nul(self, chunk: bytes, offset: int) -> None:
        position = chunk.find(b"\x00")
        if position >= 0:
            raw = offset + position
            raise nul_error(self.path, raw, line_at(self.path, raw))

    def _incremental(self, handle: BinaryIO) -> Iterator[bytes]:
        """Any other codec: decode with the codec's incremental decoder, tracking file offsets."""
        decoder = codecs.getincrementaldecoder(self.choice.codec)("strict")
        offset = self.choice.bom_length  # file offset of the first byte not yet given to the decoder
        while True:
            chunk = handle.read(self.chunk_bytes)
            final = not chunk
            start = offset - _buffered(decoder)  # file offset of the first byte decoded by this call
            try:
                text = decoder.decode(chunk, final)
            except UnicodeDecodeError as error:
                before = error.object[: error.start].decode(self.choice.codec, "replace")
                line = self._lines_before + before.count("\n")
                raise decode_error(self.path, self.choice.label, start + error.start, line) from None
            offset += len(chunk)
            if text:
                self._check_nul_text(text, start)
                self._lines_before += text.count("\n")
                yield text.encode("utf-8")
            if final:
                return

    def _check_nul_text(self, text: str, start: int) -> None:
        position = text.find("\x00")
        if position >= 0:
            before = text[:position]
            raw = start + self._encoded_length(before)
            raise nul_error(self.path, raw, self._lines_before + before.count("\n"))

    def _encoded_length(self, text: str) -> int:
        # Codecs named without byte order write a BOM when encoding: measure with the explicit one.
        codec = {"utf-16": "utf-16-le", "utf-32": "utf-32-le"}.get(self.choice.codec, self.choice.codec)
        try:
            return len(text.encode(codec))
        except (UnicodeError, LookupError):
            return len(text)


def _buffered(decoder: codecs.IncrementalDecoder) -> int:
    """Bytes an incremental decoder holds back from the previous call (a cut multi-byte sequence)."""
    state = decoder.getstate()
    buffered = state[0]
    return len(buffered) if isinstance(buffered, bytes) else 0


def read_sample(path: Path, choice: EncodingChoice, size: int) -> tuple[str, bool]:
    """The first ``size`` bytes of a file's body (after its BOM), decoded leniently (decoding errors are
    reported while the file is read in full), and whether they are the whole body."""
    with path.open("rb") as handle:
        handle.seek(choice.bom_length)
        raw = handle.read(size + 1)
    complete = len(raw) <= size
    raw = raw[:size]
    if choice.codec == WINDOWS_1252:
        return codecs.charmap_decode(raw, "strict", WINDOWS_1252_TABLE)[0], complete
    return raw.decode(choice.codec, "replace"), complete
