"""Registry models. Each concern keeps its own module; import them from here."""

from .imports import ImportBatch
from .listimport import ColumnMapping, ImportRow
from .registry import Company, Contact
from .search import CompanyGram, CompanyGramStat, CompanySearchKey

__all__ = [
    "ColumnMapping",
    "Company",
    "CompanyGram",
    "CompanyGramStat",
    "CompanySearchKey",
    "Contact",
    "ImportBatch",
    "ImportRow",
]
