"""The GeoJSON and TopoJSON profiles frictionless validates ``geojson`` cells against (JSON Schema
draft 4 documents shipped with frictionless), written out as Python checks.

Draft 4 semantics matter here: keywords about objects ignore values that are not objects (so an
element of ``features`` that is not an object is accepted), ``integer`` excludes ``1.0`` and
booleans, ``number`` excludes booleans, ``oneOf`` needs exactly one match (so ``"crs": null`` is
refused: it matches both CRS shapes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _integer(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _array_of(item: Check, min_items: int = 0) -> Check:
    def check(v: Any) -> bool:
        return isinstance(v, list) and len(v) >= min_items and all(item(x) for x in v)

    return check


def _has(v: dict[str, Any], *keys: str) -> bool:
    return all(k in v for k in keys)


def _type_is(v: dict[str, Any], name: str) -> bool:
    """``"type": {"enum": [name]}`` when the key is present."""
    return "type" not in v or (isinstance(v["type"], str) and v["type"] == name)


# --- GeoJSON ----------------------------------------------------------------------------------------


def _position(v: Any) -> bool:
    # items [number, number], additionalItems false, minItems 2: exactly two numbers.
    return isinstance(v, list) and len(v) == 2 and _number(v[0]) and _number(v[1])


_positions = _array_of(_position)


def _line_string(v: Any) -> bool:
    return _positions(v) and len(v) >= 2


def _linear_ring(v: Any) -> bool:
    return _positions(v) and len(v) >= 4


_polygon = _array_of(_linear_ring)

_GEOMETRY_COORDINATES: dict[str, Check] = {
    "Point": _position,
    "MultiPoint": _positions,
    "LineString": _line_string,
    "MultiLineString": _array_of(_line_string),
    "Polygon": _polygon,
    "MultiPolygon": _array_of(_polygon),
}


def _geometry(v: Any) -> bool:
    if not isinstance(v, dict) or not _has(v, "type", "coordinates"):
        return False
    kind = v["type"]
    check = _GEOMETRY_COORDINATES.get(kind) if isinstance(kind, str) else None
    return check is not None and check(v["coordinates"])


def _geometry_collection(v: Any) -> bool:
    if not isinstance(v, dict):
        return True
    return (
        _has(v, "geometries") and _type_is(v, "GeometryCollection") and _array_of(_geometry)(v["geometries"])
    )


def _feature(v: Any) -> bool:
    if not isinstance(v, dict):
        return True
    if not _has(v, "geometry", "properties") or not _type_is(v, "Feature"):
        return False
    geometry, properties = v["geometry"], v["properties"]
    return (geometry is None or _geometry(geometry)) and (properties is None or isinstance(properties, dict))


def _feature_collection(v: Any) -> bool:
    if not isinstance(v, dict):
        return True
    return _has(v, "features") and _type_is(v, "FeatureCollection") and _array_of(_feature)(v["features"])


def _named_crs(c: dict[str, Any]) -> bool:
    props = c["properties"]
    if not _type_is(c, "name"):
        return False
    if not isinstance(props, dict):
        return True
    return _has(props, "name") and set(props) <= {"name"} and isinstance(props["name"], str)


def _linked_crs(c: dict[str, Any]) -> bool:
    props = c["properties"]
    if not _type_is(c, "link") or not isinstance(props, dict) or not _has(props, "href"):
        return False
    return isinstance(props["href"], str) and ("type" not in props or isinstance(props["type"], str))


def _crs(c: Any) -> bool:
    if not isinstance(c, dict):
        # null is allowed by "type" but then matches both CRS shapes, which oneOf refuses.
        return False
    if not _has(c, "type", "properties") or not set(c) <= {"type", "properties"}:
        return False
    if not isinstance(c["type"], str) or not isinstance(c["properties"], dict):
        return False
    return _named_crs(c) != _linked_crs(c)


_GEOJSON_SHAPES: dict[str, Check] = {
    **dict.fromkeys(_GEOMETRY_COORDINATES, _geometry),
    "GeometryCollection": _geometry_collection,
    "Feature": _feature,
    "FeatureCollection": _feature_collection,
}


def is_geojson(v: Any) -> bool:
    """Whether a decoded JSON value passes frictionless' GeoJSON profile."""
    if not isinstance(v, dict) or "type" not in v:
        return False
    if "crs" in v and not _crs(v["crs"]):
        return False
    if "bbox" in v and not _array_of(_number)(v["bbox"]):
        return False
    # The profile's oneOf has four shapes, each requiring its own "type" value: "type" alone picks
    # the only shape that may match.
    kind = v["type"]
    shape = _GEOJSON_SHAPES.get(kind) if isinstance(kind, str) else None
    return shape is not None and shape(v)


# --- TopoJSON ---------------------------------------------------------------------------------------


_topo_position = _array_of(_number, min_items=2)
_arcs_1 = _array_of(_integer)
_arcs_2 = _array_of(_arcs_1)
_arcs_3 = _array_of(_arcs_2)


def _topo_bbox(v: Any) -> bool:
    return isinstance(v, list) and len(v) == 2 and all(_array_of(_number)(x) for x in v)


_TOPO_GEOMETRY: dict[str, tuple[str, Check]] = {
    "Point": ("coordinates", _topo_position),
    "MultiPoint": ("coordinates", _array_of(_topo_position)),
    "LineString": ("arcs", _arcs_1),
    "MultiLineString": ("arcs", _arcs_2),
    "Polygon": ("arcs", _arcs_2),
    "MultiPolygon": ("arcs", _arcs_3),
}


def _topo_geometry(v: Any) -> bool:
    if not isinstance(v, dict) or "type" not in v:
        return False
    if "id" in v and not (isinstance(v["id"], str) or _integer(v["id"])):
        return False
    if "properties" in v and not isinstance(v["properties"], dict):
        return False
    kind = v["type"]
    if not isinstance(kind, str):
        return False
    if kind == "GeometryCollection":
        return _has(v, "geometries") and _array_of(_topo_geometry)(v["geometries"])
    member = _TOPO_GEOMETRY.get(kind)
    return member is not None and member[0] in v and member[1](v[member[0]])


def _arc_point(v: Any) -> bool:
    return v is None or _topo_position(v)


def _transform(v: Any) -> bool:
    return (
        isinstance(v, dict)
        and _has(v, "scale", "translate")
        and _topo_position(v["scale"])
        and _topo_position(v["translate"])
    )


def _topology(v: Any) -> bool:
    if not isinstance(v, dict) or not _has(v, "objects", "arcs") or not _type_is(v, "Topology"):
        return False
    objects = v["objects"]
    if not isinstance(objects, dict) or not all(_topo_geometry(g) for g in objects.values()):
        return False
    if not _array_of(_array_of(_arc_point, min_items=2))(v["arcs"]):
        return False
    return ("transform" not in v or _transform(v["transform"])) and ("bbox" not in v or _topo_bbox(v["bbox"]))


def is_topojson(v: Any) -> bool:
    """Whether a decoded JSON value passes frictionless' TopoJSON profile."""
    if not isinstance(v, dict) or "type" not in v:
        return False
    if "bbox" in v and not _topo_bbox(v["bbox"]):
        return False
    return _topology(v) != _topo_geometry(v)
