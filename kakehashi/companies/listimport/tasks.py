"""Background work of the list import: the preview (progress on the batch) and the commit of a batch."""

import logging

from django_tasks import task

from ..models import ImportBatch
from .reader import ImportFileError

logger = logging.getLogger(__name__)


@task()
def import_preview_task(batch_id: int) -> None:
    from .preview import import_preview_run

    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return
    try:
        import_preview_run(batch=batch)
    except ImportFileError:
        # The reason is stored on the batch and shown on its page.
        logger.info("list import %s could not be read", batch_id)


@task()
def import_commit_task(batch_id: int, actor_id: int | None) -> None:
    """Commit a batch in the background. Failures leave the batch 確認待ち with the error on it."""
    from django.contrib.auth import get_user_model

    from .commit import import_batch_commit

    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        import_batch_commit(actor=actor, batch=batch)
    except Exception:
        logger.exception("list import %s could not be committed", batch_id)
