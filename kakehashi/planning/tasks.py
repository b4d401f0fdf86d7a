"""Background work of the visit planner."""

import logging

from django_tasks import task

from .models import Plan

logger = logging.getLogger(__name__)


@task()
def plan_build_task(plan_id: int) -> dict | None:
    """Compute a queued plan version; progress goes to `Plan.progress_percent` / `progress_message`.

    Returns the quality report (the task result), or None when the plan is gone or the run failed —
    the reason is then on the plan (`error`) and shown on its page.
    """
    from .services import plan_run

    plan = Plan.objects.filter(pk=plan_id).select_related("programme", "created_by", "based_on").first()
    if plan is None:
        logger.warning("plan %s: not found", plan_id)
        return None
    try:
        plan_run(plan=plan)
    except Exception:
        return None
    return plan.quality_report
