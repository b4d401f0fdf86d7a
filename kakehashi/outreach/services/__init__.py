"""Writes of the outreach app, one module per entity group; the programme services are re-exported here."""

from .programmes import designation_add, membership_add, programme_create

__all__ = ["designation_add", "membership_add", "programme_create"]
