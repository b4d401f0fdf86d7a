from django.db import models
from django.utils.translation import gettext_lazy as _


class CompanyStatus(models.TextChoices):
    ACTIVE = "active", _("存続")
    CLOSED = "closed", _("閉鎖")
    MERGED = "merged", _("合併・統合済")


class CompanySource(models.TextChoices):
    """Where a company record came from (a record may have several sources)."""

    MANUAL = "manual", _("手入力")
    NTA = "nta", _("法人番号公表サイト")
    DESIGNATED = "designated", _("指定訪問先リスト")
    LIST_IMPORT = "list_import", _("企業リスト取込")
    VISIT = "visit", _("訪問時に登録")
    DEMO = "demo", _("デモデータ")


class ImportKind(models.TextChoices):
    DESIGNATED = "designated", _("指定訪問先リスト")
    COMPANY_LIST = "company_list", _("企業リスト")
    CORPORATE_NUMBER = "corporate_number", _("法人番号データ（国税庁）")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("アップロード済")
    PREVIEWED = "previewed", _("確認待ち")
    RUNNING = "running", _("取込中")
    DONE = "done", _("完了")
    FAILED = "failed", _("失敗")
    CANCELLED = "cancelled", _("取消")
