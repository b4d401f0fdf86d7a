"""Project-level tests that span apps (browser tests under browser/)."""
