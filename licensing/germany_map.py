"""The map of Germany on which the reuse panel shows the reusing states: the states' outlines
and label positions, read once from licensing/static/licensing/germany.svg."""
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from pathlib import Path

from .words import MAP_STATUSES

GERMANY_SVG = Path(__file__).resolve().parent / "static" / "licensing" / "germany.svg"
# Where a label would sit on a neighbour or outside a small state, it is placed by hand.
LABEL_AT = {"BB": (520, 330), "BE": (481, 275), "NI": (228, 275)}


@dataclass(frozen=True)
class MapState:
    code: str
    name: str
    path: str
    label_x: float
    label_y: float
    status: str  # a key of MAP_STATUSES
    status_word: str


def _rings(d: str) -> list[list[tuple[float, float]]]:
    """The outlines of a path written as `M x,y l dx,dy … z` (as germany.svg is)."""
    rings = []
    for part in re.findall(r"M[^M]*", d):
        numbers = [float(n) for n in re.findall(r"-?\d*\.?\d+", part)]
        x, y = numbers[0], numbers[1]
        ring = [(x, y)]
        for dx, dy in zip(numbers[2::2], numbers[3::2]):
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


def _centroid(ring) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    area /= 2
    if not area:
        return ring[0][0], ring[0][1], 0.0
    return cx / (6 * area), cy / (6 * area), abs(area)


@lru_cache(maxsize=1)
def germany_outlines() -> MappingProxyType:
    """State code → (SVG path, label x, label y), read once per process; read-only, as every
    thread shares it."""
    outlines = {}
    for element in ET.parse(GERMANY_SVG).getroot():
        if not element.tag.endswith("path"):
            continue
        code = element.get("id").upper()
        d = element.get("d")
        x, y, _area = max((_centroid(ring) for ring in _rings(d)), key=lambda c: c[2])
        x, y = LABEL_AT.get(code, (x, y))
        outlines[code] = (d, round(x, 1), round(y, 1))
    return MappingProxyType(outlines)


def map_states(states, statuses: dict[str, str]) -> list[MapState]:
    """The states on the map, each with its status (state code → MAP_STATUSES key; default "none")."""
    outlines = germany_outlines()
    result = []
    for state in states:
        d, x, y = outlines[state.code]
        status = statuses.get(state.code, "none")
        result.append(MapState(state.code, state.name, d, x, y, status, MAP_STATUSES[status]))
    return result
