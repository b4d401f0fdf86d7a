from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("待機中")
    RUNNING = "running", _("書き出し中")
    DONE = "done", _("完了")
    FAILED = "failed", _("失敗")
