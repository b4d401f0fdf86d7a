"""Background work of the company registry."""

import logging

from django_tasks import task

from .models import ImportBatch

logger = logging.getLogger(__name__)


@task()
def import_corporate_numbers_task(batch_id: int) -> dict | None:
    """Import a 法人番号公表サイト file for an `ImportBatch`; progress goes to `progress_done/total`.

    Returns the counts (the task result), or None when the file could not be imported at all —
    the reason is then on the batch (`error`) and shown on its page.
    """
    from .nta.services import corporate_number_import_run

    batch = ImportBatch.objects.filter(pk=batch_id).select_related("created_by").first()
    if batch is None:
        logger.warning("corporate-number import %s: batch not found", batch_id)
        return None
    summary = corporate_number_import_run(actor=batch.created_by, batch=batch)
    if summary is None:
        return None
    counts = summary.as_dict()
    counts.pop("warnings", None)
    return counts
