"""The upload form of the corporate-number import."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kakehashi.reference.models import Prefecture

ALLOWED_SUFFIXES = (".csv", ".zip")
DEFAULT_MAX_BYTES = 600 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "KAKEHASHI_NTA_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def format_size(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


class CorporateNumberUploadForm(forms.Form):
    file = forms.FileField(
        label=_("ファイル"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.zip"}),
    )
    prefecture = forms.ModelChoiceField(
        label=_("取り込む都道府県"),
        queryset=Prefecture.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("すべて（ファイルの全行）"),
        help_text=_("全国版のファイルから一つの都道府県の法人だけを取り込めます。"),
    )
    strict = forms.BooleanField(
        label=_("誤りのある行が一つでもあれば何も取り込まない"),
        required=False,
        help_text=_("選ばない場合は、正しい行を取り込み、誤りのある行をすべて一覧にします。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "法人番号公表サイトの全件・差分ファイル（CSV または ZIP、Unicode / Shift_JIS）、%(limit)s まで。"
        ) % {"limit": format_size(max_upload_bytes())}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("CSV（.csv）か ZIP（.zip）のファイルを選んでください。"), code="file_type")
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("ファイルが大きすぎます（%(size)s）。取り込めるのは %(limit)s までです。")
                % {"size": format_size(upload.size), "limit": format_size(max_upload_bytes())},
                code="too_large",
            )
        if upload.size == 0:
            raise forms.ValidationError(_("ファイルが空です。"), code="empty")
        return upload
