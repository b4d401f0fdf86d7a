"""Travel models: the straight-line estimate and the OSRM-style routing engine adapter (against a local fake)."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from kakehashi.planning.engine.travel import (
    RoutingEngineError,
    RoutingEngineTravel,
    StraightLineTravel,
    travel_model_from_settings,
)
from kakehashi.planning.engine.types import PlanSettings, Point

YAMAGATA = Point(38.25555556, 140.3397222)  # 山形市役所
SAKATA = Point(38.91444444, 139.8363889)  # 酒田市役所


def test_straight_line_uses_great_circle_times_detour_over_speed():
    # One degree of latitude along a meridian is 6371.0088 km × π / 180 = 111.195 km.
    a, b = Point(38.0, 140.0), Point(39.0, 140.0)
    minutes, km = StraightLineTravel(detour_factor=1.5, speed_kmh=30).matrix([a, b, a])
    assert km[0][1] == pytest.approx(111.195 * 1.5, abs=0.01)
    assert km[0][1] == pytest.approx(km[1][0])
    assert minutes[0][1] == 334  # 166.79 km at 30 km/h = 333.6 minutes, rounded up
    assert km[0][0] == km[0][2] == 0.0
    assert minutes[1][1] == 0


def test_straight_line_between_city_halls_is_plausible():
    _minutes, km = StraightLineTravel(detour_factor=1.0, speed_kmh=40).matrix([YAMAGATA, SAKATA])
    assert 80 < km[0][1] < 90  # 山形市役所–酒田市役所, about 85 km as the crow flies


def test_straight_line_rejects_nonsense():
    with pytest.raises(ValueError, match="detour_factor"):
        StraightLineTravel(detour_factor=0.5)
    with pytest.raises(ValueError, match="speed_kmh"):
        StraightLineTravel(speed_kmh=0)


class FakeOsrm(BaseHTTPRequestHandler):
    """Answers /table/v1/<profile>/<coords>: 1 km and 60 s per unit of |index difference|, null for pair (0, 3)."""

    requests: list[str] = []

    def do_GET(self):
        parsed = urllib.parse.urlsplit(self.path)  # not urlparse: ';' must stay in the path
        FakeOsrm.requests.append(parsed.path)
        parts = parsed.path.split("/")
        if parts[1:4] != ["table", "v1", "car"]:
            self.send_response(404)
            self.end_headers()
            return
        coordinates = [tuple(map(float, c.split(","))) for c in parts[4].split(";")]
        ids = [round(lat * 1000) for _lng, lat in coordinates]  # the test puts the point index in the latitude
        query = urllib.parse.parse_qs(parsed.query)
        sources = [int(s) for s in query["sources"][0].split(";")]
        destinations = [int(d) for d in query["destinations"][0].split(";")]
        durations, distances = [], []
        for s in sources:
            durations.append([])
            distances.append([])
            for d in destinations:
                a, b = ids[s], ids[d]
                if {a, b} == {0, 3}:
                    durations[-1].append(None)
                    distances[-1].append(None)
                else:
                    durations[-1].append(abs(a - b) * 60.0)
                    distances[-1].append(abs(a - b) * 1000.0)
        body = json.dumps({"code": "Ok", "durations": durations, "distances": distances}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        return


@pytest.fixture
def fake_osrm():
    FakeOsrm.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOsrm)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _points(n):
    return [Point(lat=i / 1000, lng=140.0) for i in range(n)]


def test_routing_engine_reads_the_table_in_blocks(fake_osrm):
    travel = RoutingEngineTravel(fake_osrm, profile="car", timeout=5, max_table_size=4)
    minutes, km = travel.matrix(_points(7))
    assert km[1][6] == pytest.approx(5.0)
    assert minutes[6][1] == 5
    assert km[2][2] == 0.0
    assert len(FakeOsrm.requests) > 1  # 7 points with at most 4 per table: several requests
    assert all(path.startswith("/table/v1/car/") for path in FakeOsrm.requests)


def test_routing_engine_falls_back_to_straight_line_for_unroutable_pairs(fake_osrm):
    fallback = StraightLineTravel(1.3, 40)
    minutes, km = RoutingEngineTravel(fake_osrm, max_table_size=100, fallback=fallback).matrix(_points(4))
    expected_minutes, expected_km = fallback.matrix(_points(4))
    assert km[0][3] == pytest.approx(expected_km[0][3])
    assert minutes[3][0] == expected_minutes[3][0]
    assert km[1][3] == pytest.approx(2.0)


def test_routing_engine_errors_are_reported(fake_osrm):
    with pytest.raises(RoutingEngineError):
        RoutingEngineTravel(fake_osrm, profile="bike").matrix(_points(3))
    with pytest.raises(ValueError, match="http"):
        RoutingEngineTravel("file:///etc/passwd")


def test_travel_model_from_settings_picks_by_url():
    straight = travel_model_from_settings(SimpleNamespace(PLANNING_DETOUR_FACTOR=1.4, PLANNING_SPEED_KMH=35))
    assert isinstance(straight, StraightLineTravel)
    assert (straight.detour_factor, straight.speed_kmh) == (1.4, 35.0)
    assert isinstance(travel_model_from_settings(SimpleNamespace(PLANNING_ROUTING_URL="")), StraightLineTravel)
    engine = travel_model_from_settings(
        SimpleNamespace(PLANNING_ROUTING_URL="http://osrm.local:5000/", PLANNING_ROUTING_PROFILE="driving")
    )
    assert isinstance(engine, RoutingEngineTravel)
    assert engine.base_url == "http://osrm.local:5000"
    assert engine.profile == "driving"
    plan = PlanSettings(target=1, quotas={}, detour_factor=1.6, speed_kmh=25)
    from_plan = travel_model_from_settings(SimpleNamespace(PLANNING_ROUTING_URL=""), plan)
    assert (from_plan.detour_factor, from_plan.speed_kmh) == (1.6, 25.0)
    engine = travel_model_from_settings(SimpleNamespace(PLANNING_ROUTING_URL="http://osrm.local"), plan)
    assert engine.fallback.detour_factor == 1.6
