"""Reads for list imports, narrowed to what the user may see."""

from django.db.models import Q, QuerySet

from kakehashi.accounts.choices import Role
from kakehashi.outreach.models import Programme

from ..choices import ImportKind
from ..models import ImportBatch, ImportRow
from . import rules as _rules  # noqa: F401 - registers the permission

LIST_KINDS = (ImportKind.DESIGNATED, ImportKind.COMPANY_LIST)
OFFICE_ROLES = (Role.PREFECTURE, Role.MANAGER)


def import_programmes_for(user) -> QuerySet[Programme]:
    """Programmes the user may import a list for: those they hold an office role in (superusers: all)."""
    if not user.is_authenticated or not user.has_perm("companies.import_company_list"):
        return Programme.objects.none()
    programmes = Programme.objects.select_related("prefecture")
    if user.is_superuser:
        return programmes
    return programmes.filter(memberships__user=user, memberships__role__in=OFFICE_ROLES).distinct()


def import_batches_for(user) -> QuerySet[ImportBatch]:
    """List imports the user may see: their programmes' batches and their own; superusers all."""
    if not user.is_authenticated or not user.has_perm("companies.import_company_list"):
        return ImportBatch.objects.none()
    batches = ImportBatch.objects.filter(kind__in=LIST_KINDS).select_related("programme", "created_by")
    if user.is_superuser:
        return batches
    programmes = Programme.objects.filter(memberships__user=user, memberships__role__in=OFFICE_ROLES)
    return batches.filter(Q(programme__in=programmes) | Q(programme__isnull=True, created_by=user))


def import_rows_for(batch: ImportBatch, *, outcome: str = "", query: str = "") -> QuerySet[ImportRow]:
    """Rows of a batch the caller has already fetched through `import_batches_for`."""
    rows = batch.rows.select_related("company", "company__municipality", "duplicate_of")
    if outcome == "unresolved":
        rows = rows.filter(outcome="ambiguous", decision="")
    elif outcome == "duplicates":
        rows = rows.filter(duplicate_of__isnull=False)
    elif outcome:
        rows = rows.filter(outcome=outcome)
    if query:
        rows = rows.filter(Q(values__name__icontains=query) | Q(values__corporate_number__startswith=query))
    return rows
