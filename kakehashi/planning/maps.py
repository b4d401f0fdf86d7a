"""A route map drawn as SVG from coordinates: no tiles, nothing downloaded.

The prefecture's outline is approximated by the convex hull of its municipal offices (padded), with
each office as a small dot; the day's route is a polyline from the home base through the numbered
stops and back. Coordinates are projected equirectangularly around the map's centre latitude.
"""

import math
from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 360, 300, 18


@dataclass
class Stop:
    number: int
    lat: float
    lng: float
    label: str


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    points = sorted(set(points))
    if len(points) <= 2:
        return points

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in points:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(points):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def route_map(*, home: tuple[float, float] | None, stops: list[Stop], places: list[tuple[float, float]]) -> dict:
    """Everything the template needs to draw the map: projected outline, dots, route and stops."""
    route_points = ([home] if home else []) + [(s.lat, s.lng) for s in stops]
    everything = places + route_points
    if not everything:
        return {}
    lats = [p[0] for p in everything]
    lngs = [p[1] for p in everything]
    scale_x = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lngs) - min(lngs)) * scale_x, 0.02)
    span_y = max(max(lats) - min(lats), 0.02)
    scale = min((WIDTH - 2 * PAD) / span_x, (HEIGHT - 2 * PAD) / span_y)
    offset_x = (WIDTH - span_x * scale) / 2
    offset_y = (HEIGHT - span_y * scale) / 2

    def project(lat: float, lng: float) -> tuple[float, float]:
        return (
            round(offset_x + (lng - min(lngs)) * scale_x * scale, 1),
            round(HEIGHT - offset_y - (lat - min(lats)) * scale, 1),
        )

    outline = [project(*p) for p in _hull(places)] if len(places) >= 3 else []
    centre = (sum(x for x, _ in outline) / len(outline), sum(y for _, y in outline) / len(outline)) if outline else None
    if centre:  # pad the hull outward a little so border towns are inside the outline
        outline = [(round(x + (x - centre[0]) * 0.06, 1), round(y + (y - centre[1]) * 0.06, 1)) for x, y in outline]
    route = [project(*p) for p in route_points]
    if home and len(route) > 1:
        route.append(route[0])
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "outline": " ".join(f"{x},{y}" for x, y in outline),
        "places": [project(*p) for p in places],
        "route": " ".join(f"{x},{y}" for x, y in route),
        "home": project(*home) if home else None,
        "stops": [{"number": s.number, "label": s.label, "xy": project(s.lat, s.lng)} for s in stops],
    }
