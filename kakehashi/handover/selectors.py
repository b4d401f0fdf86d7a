from django.db.models import QuerySet

from .models import BundleExport
from .rules import may_export_bundle


def bundle_exports_for(user) -> QuerySet[BundleExport]:
    if not may_export_bundle(user):
        return BundleExport.objects.none()
    return BundleExport.objects.select_related("requested_by")
