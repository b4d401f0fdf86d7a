"""Chart.js data for the dashboard, derived from the progress figures (the tables carry the same numbers).

Each chart is a plain dict passed to the page with `json_script`; `static/js/charts.js` draws it.
"""

from typing import Any

from django.utils.translation import gettext as _


def _bars(rows: list[dict], *, horizontal: bool = True, skip_empty: bool = False) -> dict[str, Any]:
    rows = [r for r in rows if r["companies"] or r["visits"]] if skip_empty else rows
    return {
        "type": "bar",
        "horizontal": horizontal,
        "labels": [r["label"] for r in rows],
        "datasets": [
            {"label": _("企業数"), "data": [r["companies"] for r in rows], "color": "primary"},
            {"label": _("訪問報告件数"), "data": [r["visits"] for r in rows], "color": "secondary"},
        ],
    }


def chart_data(progress: dict[str, Any]) -> dict[str, dict[str, Any]]:
    breakdowns = progress["breakdowns"]
    weeks = progress["burnup"]["weeks"]
    target = progress["headline"]["target"]
    return {
        "formats": _bars(progress["formats"], horizontal=False),
        "region": _bars(breakdowns["region"]),
        "municipality": _bars(breakdowns["municipality"], skip_empty=True),
        "industry": _bars(breakdowns["industry"], skip_empty=True),
        "business_form": _bars(breakdowns["business_form"]),
        "size": _bars(breakdowns["size"]),
        "communicators": _bars(
            [
                {"label": r["name"], "companies": r["companies"], "visits": r["visits"]}
                for r in progress["communicators"]
            ]
        ),
        "burnup": {
            "type": "line",
            "labels": [f"{w['week_start'].month}/{w['week_start'].day}" for w in weeks],
            "datasets": [
                {
                    "label": _("ヒアリング済み企業数（累計）"),
                    "data": [w["cumulative"] for w in weeks],
                    "color": "primary",
                },
                {"label": _("目標"), "data": [target for _w in weeks], "color": "target", "dash": True},
                {
                    "label": _("目標達成に必要なペース"),
                    "data": [w["required_line"] for w in weeks],
                    "color": "warning",
                    "dash": True,
                },
                {
                    "label": _("現在のペースでの見込み"),
                    "data": [w["forecast_line"] for w in weeks],
                    "color": "secondary",
                    "dash": True,
                },
            ],
        },
    }
