"""Registry models. Each concern keeps its own module; import them from here."""

from .imports import ImportBatch
from .registry import Company, Contact

__all__ = ["Company", "Contact", "ImportBatch"]
