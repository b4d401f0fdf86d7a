"""Background work of the handover app."""

from django_tasks import task


@task()
def bundle_export_task(job_id: int) -> dict | None:
    from .models import BundleExport
    from .services import bundle_export_run

    job = BundleExport.objects.filter(pk=job_id).first()
    if job is None:
        return None
    job = bundle_export_run(job=job)
    return {"status": job.status, **job.summary}
