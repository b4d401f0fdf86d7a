"""Reads of corporate-number import batches, narrowed by permission."""

from django.db.models import QuerySet

from kakehashi.companies.choices import ImportKind
from kakehashi.companies.models import ImportBatch

from .rules import IMPORT_PERMISSION


def corporate_number_batches_for(user) -> QuerySet[ImportBatch]:
    """Corporate-number import batches the user may see: all of them for those who may import, else none.

    The registry is prefecture-wide (not per programme), so batches are not narrowed by programme.
    """
    batches = ImportBatch.objects.filter(kind=ImportKind.CORPORATE_NUMBER).select_related("created_by")
    if not user.is_authenticated or not user.has_perm(IMPORT_PERMISSION):
        return batches.none()
    return batches
