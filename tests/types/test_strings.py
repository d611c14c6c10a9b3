"""string formats (email, uri, uuid, binary) and any: hand-written cases, checked against frictionless too."""

from __future__ import annotations

import pytest

from tests.types.support import compare, socle_read


def check(fmt: str, cell: str, valid: bool) -> None:
    ((ok, typed),) = socle_read({"type": "string", "format": fmt}, [cell])
    assert ok is valid
    assert typed == (cell if valid else None)
    compare({"type": "string", "format": fmt}, [cell])


@pytest.mark.parametrize(
    ("cell", "valid"),
    [
        ("agent@mairie-x.fr", True),
        ("Prénom.Nom@exemple.fr", True),
        ("é@exemple.fr", True),
        ("a@bücher.de", True),  # the domain is checked in its IDNA form
        ("a@xn--bcher-kva.de", True),
        ('"a.b"@exemple.fr', True),
        ("a\n@exemple.fr", True),  # Python's $ matches before a final newline
        ("a" * 64 + "@exemple.fr", True),
        ("a" * 65 + "@exemple.fr", False),
        ('"a b"@exemple.fr', False),
        ("a@exemple", False),
        ("a@@exemple.fr", False),
        ("a..b@exemple.fr", False),
        (".a@exemple.fr", False),
        ("a@ex_emple.fr", False),
        ("a@-exemple.fr", False),
        ("a@exemple.f1", False),
        ("a@exemple.fr.", False),
        ("日本@exemple.fr", False),
        ("a@exemple.fr ", False),
    ],
)
def test_email(cell: str, valid: bool) -> None:
    check("email", cell, valid)


@pytest.mark.parametrize(
    ("cell", "valid"),
    [
        ("https://www.data.gouv.fr/", True),
        ("mailto:agent@mairie.fr", True),
        ("x:", True),
        ("a+b-c.d:reste", True),
        ("www.data.gouv.fr", False),
        ("1http://x", False),
        (" https://x", False),
        ("é:x", False),
    ],
)
def test_uri(cell: str, valid: bool) -> None:
    check("uri", cell, valid)


UUID = "2bc1c94f-0deb-43e9-92a1-4775189ec9f8"


@pytest.mark.parametrize(
    ("cell", "valid"),
    [
        (UUID, True),
        (UUID.upper(), True),
        (UUID.replace("-", ""), True),
        ("{" + UUID + "}", True),
        ("urn:uuid:" + UUID, True),
        ("00000000-0000-0000-0000-000000000000", True),  # any version, as uuid.UUID reads it
        ("+" + "1" * 31, True),  # int(…, 16) reads a sign, spaces, "0x" and underscores
        ("-" + "1" * 32, True),  # every dash is removed first
        ("0x" + "a" * 30, True),
        ("-" + "1" * 31, False),
        ("g" * 32, False),
        (UUID[:-1], False),
        ("URN:" + UUID.replace("-", ""), False),
    ],
)
def test_uuid(cell: str, valid: bool) -> None:
    check("uuid", cell, valid)


@pytest.mark.parametrize(
    ("cell", "valid"),
    [
        ("aGVsbG8gd29ybGQ=", True),
        ("aGVsbA==", True),
        ("abcd", True),
        ("ab==cd", True),  # decoding stops at the padding
        ("a b c d", True),  # characters outside the alphabet are skipped
        ("ab=", False),
        ("aGVsbG8", False),
        ("a", False),
        ("é", False),
    ],
)
def test_binary(cell: str, valid: bool) -> None:
    check("binary", cell, valid)


def test_default_and_any_accept_everything() -> None:
    cells = ["", " ", "texte", "😀", "\x00"]
    for descriptor in ({"type": "string"}, {"type": "any"}):
        assert socle_read(descriptor, cells) == [(True, None), *[(True, c) for c in cells[1:]]]
        compare(descriptor, cells)
