"""Schemas shared by every app's API module."""

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class CodeLabelOut(Schema):
    code: str
    label: str
