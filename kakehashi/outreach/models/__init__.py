"""Outreach models: programmes, visits, hearing manuals and content, one module each."""

from .content import ContentItem
from .manuals import HearingAnswer, HearingManual, HearingManualVersion
from .programmes import DesignatedCompany, Programme, ProgrammeMembership
from .visits import Visit, VisitAttachment

__all__ = [
    "ContentItem",
    "DesignatedCompany",
    "HearingAnswer",
    "HearingManual",
    "HearingManualVersion",
    "Programme",
    "ProgrammeMembership",
    "Visit",
    "VisitAttachment",
]
