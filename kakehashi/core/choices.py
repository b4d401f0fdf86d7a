from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATE = "create", _("作成")
    UPDATE = "update", _("更新")
    DELETE = "delete", _("削除")
    RETIRE = "retire", _("廃止")
    MERGE = "merge", _("統合")
    IMPORT = "import", _("取込")
    STATUS = "status", _("状態変更")
