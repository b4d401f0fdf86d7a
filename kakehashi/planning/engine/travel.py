"""Travel time and distance between points.

`StraightLineTravel` estimates road travel from coordinates: great-circle distance × a detour factor, at an
average speed. `RoutingEngineTravel` asks an OSRM-compatible routing engine (`/table/v1/…`, also served by
Valhalla's OSRM-compatible mode) for real road figures. Both answer the same `TravelModel.matrix()` call, so
the solver never knows which one it uses; `travel_model_from_settings()` picks one from the Django settings.
"""

import json
import logging
import math
import urllib.parse
import urllib.request
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from .types import PlanSettings, Point

logger = logging.getLogger(__name__)

EARTH_RADIUS_KM = 6371.0088


class TravelModel(Protocol):
    def matrix(self, points: Sequence[Point]) -> tuple[list[list[int]], list[list[float]]]:
        """(minutes, km) from every point to every point; the diagonal is zero."""
        ...


def haversine_km(lat1, lng1, lat2, lng2):
    """Great-circle distance in km; works element-wise on numpy arrays (broadcasting) and on floats."""
    lat1, lng1, lat2, lng2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lng1, lat2, lng2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def distance_km_matrix(sources: Sequence[Point], targets: Sequence[Point]) -> np.ndarray:
    """Straight-line km between every source and every target, as a (len(sources), len(targets)) array."""
    if not sources or not targets:
        return np.zeros((len(sources), len(targets)))
    src = np.array([(p.lat, p.lng) for p in sources])
    dst = np.array([(p.lat, p.lng) for p in targets])
    return haversine_km(src[:, None, 0], src[:, None, 1], dst[None, :, 0], dst[None, :, 1])


class StraightLineTravel:
    """Road distance ≈ straight line × `detour_factor`; time = road distance ÷ `speed_kmh` (rounded up)."""

    def __init__(self, detour_factor: float = 1.3, speed_kmh: float = 40.0):
        if detour_factor < 1.0:
            raise ValueError("detour_factor must be at least 1")
        if speed_kmh <= 0:
            raise ValueError("speed_kmh must be positive")
        self.detour_factor = float(detour_factor)
        self.speed_kmh = float(speed_kmh)

    def arrays(self, points: Sequence[Point]) -> tuple[np.ndarray, np.ndarray]:
        km = distance_km_matrix(points, points) * self.detour_factor
        minutes = np.ceil(km / self.speed_kmh * 60.0 - 1e-9).astype(np.int64)
        np.fill_diagonal(minutes, 0)
        np.fill_diagonal(km, 0.0)
        return minutes, km

    def matrix(self, points: Sequence[Point]) -> tuple[list[list[int]], list[list[float]]]:
        minutes, km = self.arrays(points)
        return minutes.tolist(), km.tolist()

    def __repr__(self) -> str:
        return f"StraightLineTravel(detour_factor={self.detour_factor}, speed_kmh={self.speed_kmh})"


class RoutingEngineError(RuntimeError):
    pass


class RoutingEngineTravel:
    """Road travel from an OSRM-style table service: `GET {base_url}/table/v1/{profile}/{lng,lat;…}`.

    Large point sets are asked in blocks of `max_table_size` sources × destinations (OSRM's default limit is
    100). A pair the engine cannot route (null) falls back to the straight-line estimate, so a plan never
    fails because one company sits on an unmapped road.
    """

    def __init__(
        self,
        base_url: str,
        profile: str = "car",
        timeout: float = 30.0,
        *,
        max_table_size: int = 100,
        fallback: StraightLineTravel | None = None,
    ):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("base_url must be an http(s) URL")
        self.base_url = base_url.rstrip("/")
        self.profile = profile
        self.timeout = timeout
        self.max_table_size = max(2, int(max_table_size))
        self.fallback = fallback or StraightLineTravel()

    def _table(self, points: Sequence[Point], sources: list[int], destinations: list[int]) -> dict[str, Any]:
        coordinates = ";".join(f"{p.lng:.6f},{p.lat:.6f}" for p in points)
        query = urllib.parse.urlencode(
            {
                "sources": ";".join(map(str, sources)),
                "destinations": ";".join(map(str, destinations)),
                "annotations": "duration,distance",
            }
        )
        url = f"{self.base_url}/table/v1/{urllib.parse.quote(self.profile)}/{coordinates}?{query}"
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (http(s) checked)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                payload = json.loads(response.read().decode("utf-8"))
        except (OSError, ValueError) as error:
            raise RoutingEngineError(f"routing engine request failed: {error}") from error
        if payload.get("code") != "Ok":
            raise RoutingEngineError(f"routing engine answered {payload.get('code')!r}")
        return payload

    def matrix(self, points: Sequence[Point]) -> tuple[list[list[int]], list[list[float]]]:
        n = len(points)
        fallback_minutes, fallback_km = self.fallback.arrays(points)
        minutes = fallback_minutes.copy()
        km = fallback_km.copy()
        if n < 2:
            return minutes.tolist(), km.tolist()
        half = max(1, self.max_table_size // 2)
        blocks = [list(range(start, min(n, start + half))) for start in range(0, n, half)]
        unroutable = 0
        for src_block in blocks:
            for dst_block in blocks:
                subset = sorted(set(src_block) | set(dst_block))
                local = {index: position for position, index in enumerate(subset)}
                payload = self._table(
                    [points[i] for i in subset], [local[i] for i in src_block], [local[j] for j in dst_block]
                )
                durations, distances = payload.get("durations") or [], payload.get("distances") or []
                for a, i in enumerate(src_block):
                    for b, j in enumerate(dst_block):
                        if i == j:
                            continue
                        seconds = durations[a][b] if a < len(durations) and b < len(durations[a]) else None
                        metres = distances[a][b] if a < len(distances) and b < len(distances[a]) else None
                        if seconds is None or metres is None:
                            unroutable += 1
                            continue
                        minutes[i, j] = math.ceil(seconds / 60.0 - 1e-9)
                        km[i, j] = metres / 1000.0
        if unroutable:
            logger.warning("routing engine could not route %d pairs; straight-line estimate used", unroutable)
        return minutes.tolist(), km.tolist()

    def __repr__(self) -> str:
        return f"RoutingEngineTravel({self.base_url!r}, profile={self.profile!r})"


def travel_model_from_settings(settings_obj: Any, plan: PlanSettings | None = None) -> TravelModel:
    """The routing engine when `PLANNING_ROUTING_URL` is set, else the straight-line estimate.

    Reads `PLANNING_ROUTING_URL`, `PLANNING_ROUTING_PROFILE` and `PLANNING_ROUTING_TIMEOUT` from the Django
    settings. The estimate (and the engine's fallback) uses the plan's detour factor and speed when `plan` is
    given, else `PLANNING_DETOUR_FACTOR` / `PLANNING_SPEED_KMH` if set, else 1.3 and 40 km/h.
    """
    if plan is not None:
        straight = StraightLineTravel(plan.detour_factor, plan.speed_kmh)
    else:
        straight = StraightLineTravel(
            float(getattr(settings_obj, "PLANNING_DETOUR_FACTOR", 1.3) or 1.3),
            float(getattr(settings_obj, "PLANNING_SPEED_KMH", 40.0) or 40.0),
        )
    base_url = (getattr(settings_obj, "PLANNING_ROUTING_URL", "") or "").strip()
    if not base_url:
        return straight
    return RoutingEngineTravel(
        base_url,
        profile=getattr(settings_obj, "PLANNING_ROUTING_PROFILE", "car") or "car",
        timeout=float(getattr(settings_obj, "PLANNING_ROUTING_TIMEOUT", 30.0) or 30.0),
        fallback=straight,
    )
