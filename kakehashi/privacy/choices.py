from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    """What was read or exported. Other apps may record further actions; unknown codes are shown as they are."""

    CONTACT_VIEW = "contact_view", _("担当者情報の閲覧")
    CONTACT_EXPORT = "contact_export", _("担当者情報を含む出力")
    VISIT_EXPORT = "visit_export", _("訪問報告の出力")
    REGISTRY_EXPORT = "registry_export", _("企業等一覧の出力")
    ATTACHMENT_DOWNLOAD = "attachment_download", _("添付ファイルの取得")
    CONTENT_DOWNLOAD = "content_download", _("コンテンツファイルの取得")
    REPORT_DOWNLOAD = "report_download", _("定期報告の取得")
    BUNDLE_EXPORT = "bundle_export", _("全データの引継ぎ出力")
    BUNDLE_DOWNLOAD = "bundle_download", _("引継ぎデータの取得")
    ACCESS_LOG_EXPORT = "access_log_export", _("アクセス記録の出力")
    ERASURE_EXECUTE = "erasure_execute", _("個人情報の削除の実行")


class ErasureStatus(models.TextChoices):
    REGISTERED = "registered", _("受付")
    APPROVED = "approved", _("承認済み")
    EXECUTED = "executed", _("削除済み")
    REJECTED = "rejected", _("却下")


class ErasureChannel(models.TextChoices):
    """How the person asked (APPI 第35条 利用停止・消去の請求)."""

    WRITTEN = "written", _("書面")
    EMAIL = "email", _("メール")
    PHONE = "phone", _("電話")
    IN_PERSON = "in_person", _("対面")
    OTHER = "other", _("その他")


ERASED_TEXT = "（削除済み）"
