"""The change counter that keys the cached progress figures of a programme."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgressVersion(models.Model):
    """A counter bumped whenever a programme's visit reports or designated companies change.

    The dashboard and the progress API cache their figures under a key that includes this counter,
    so a change written in one worker process is seen by every other at once. Writes that bypass
    the model (bulk inserts, `.update()`) and changes to company attributes show when the cache
    expires (`kpis.cache_seconds()`).
    """

    programme = models.OneToOneField(
        "outreach.Programme",
        verbose_name=_("事業"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="progress_version",
    )
    version = models.PositiveBigIntegerField(_("版"), default=0)
    changed_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("進捗集計の版")
        verbose_name_plural = _("進捗集計の版")
        ordering = ["programme"]

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.version}"
