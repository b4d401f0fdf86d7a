"""The insights app's hand-checked programme (`kpi_world`) is the reports' test world too, so the
report's figures can be compared with the dashboard's for the same data."""

from kakehashi.insights.tests.conftest import TODAY, kpi_world

__all__ = ["TODAY", "kpi_world"]
