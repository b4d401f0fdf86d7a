"""Keep `ProgressVersion` in step with writes to visits and designations (cache invalidation only).

No business logic here: each receiver bumps one counter. Receivers do nothing while the progress
cache is off (tests, by default), so they add no queries where nothing is cached.
"""

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from kakehashi.outreach.choices import VisitStatus
from kakehashi.outreach.models import DesignatedCompany, Visit

from .kpis import cache_seconds
from .models import ProgressVersion


def progress_changed(programme_id: int | None) -> None:
    """Give the programme's progress figures a new cache key (in this transaction)."""
    if programme_id is None or cache_seconds() <= 0:
        return
    if not ProgressVersion.objects.filter(programme_id=programme_id).update(version=F("version") + 1):
        ProgressVersion.objects.get_or_create(programme_id=programme_id, defaults={"version": 1})


def _never_counted(visit: Visit) -> bool:
    """A draft never submitted (saved again and again while the form is filled in) changes no figure."""
    return visit.status == VisitStatus.DRAFT and visit.submitted_at is None


@receiver(post_save, sender=Visit, dispatch_uid="insights_visit_saved")
def _visit_saved(sender, instance: Visit, **kwargs) -> None:
    if not _never_counted(instance):
        progress_changed(instance.programme_id)


@receiver(post_delete, sender=Visit, dispatch_uid="insights_visit_deleted")
def _visit_deleted(sender, instance: Visit, **kwargs) -> None:
    # Even a deleted draft: the visit list's cache key (its newest `updated_at`) cannot see a deletion.
    progress_changed(instance.programme_id)


@receiver(post_save, sender=DesignatedCompany, dispatch_uid="insights_designation_saved")
@receiver(post_delete, sender=DesignatedCompany, dispatch_uid="insights_designation_deleted")
def _designation_changed(sender, instance: DesignatedCompany, **kwargs) -> None:
    progress_changed(instance.programme_id)


@receiver(m2m_changed, sender=Visit.communicators.through, dispatch_uid="insights_visit_communicators")
def _visit_communicators_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_") or cache_seconds() <= 0:
        return
    if reverse:  # changed from the user's side: every programme of the visits touched
        visits = Visit.objects.filter(pk__in=pk_set or ()).exclude(status=VisitStatus.DRAFT, submitted_at=None)
        for programme_id in visits.values_list("programme_id", flat=True).distinct():
            progress_changed(programme_id)
    elif not _never_counted(instance):
        progress_changed(instance.programme_id)
