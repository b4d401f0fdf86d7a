"""Generated registry data for tests, demos and benchmarks (no personal or real company data)."""
