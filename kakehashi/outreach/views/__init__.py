"""Views of the outreach app, one module per screen group."""
