"""Forms of the list import screens."""

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from .headers import IGNORE, field_choices
from .reader import ImportFileError, check_size, format_size, max_bytes

ALLOWED_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")


class ListUploadForm(forms.Form):
    file = forms.FileField(
        label=_("ファイル"),
        help_text=_("CSV（UTF-8 または Shift_JIS）か Excel（.xlsx）。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
    programme = forms.ModelChoiceField(label=_("事業"), queryset=None, required=False, empty_label=_("（選ばない）"))
    mark_designated = forms.BooleanField(label=_("指定訪問先として登録する"), required=False, initial=True)
    source_name = forms.CharField(
        label=_("取込元の名前"),
        required=False,
        max_length=100,
        help_text=_(
            "例: 県指定訪問先リスト。列の対応をこの名前で覚え、次回も使います。空欄なら見出しの並びで覚えます。"
        ),
    )
    sheet = forms.CharField(
        label=_("シート名（Excel）"), required=False, max_length=100, help_text=_("空欄なら最初のシート")
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["file"].help_text = _("CSV（UTF-8 または Shift_JIS）か Excel（.xlsx）、%(limit)s まで。") % {
            "limit": format_size(max_bytes())
        }
        if programmes.count() == 1:
            self.fields["programme"].initial = programmes.first().pk

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except ImportFileError as error:
            raise forms.ValidationError(str(error), code="too_large") from error
        if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("CSV（.csv）か Excel（.xlsx）のファイルを選んでください。"), code="file_type")
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mark_designated") and not cleaned.get("programme"):
            self.add_error("programme", _("指定訪問先として登録するには事業を選んでください。"))
        return cleaned


class ColumnMappingForm(forms.Form):
    """One select per column of the file: which field it holds (or 使わない)."""

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("（自動: 見出しから判断）")), *field_choices(), (IGNORE, _("使わない"))]
        self.columns = columns
        for column in columns:
            self.fields[f"col_{column['index']}"] = forms.ChoiceField(
                label=column["header"] or _("（見出しなし）%(n)s 列目") % {"n": column["index"] + 1},
                choices=choices,
                required=False,
                initial=column.get("field") or "",
                help_text=_("例: %(samples)s") % {"samples": "、".join(column["samples"])}
                if column.get("samples")
                else "",
            )

    def clean(self):
        cleaned = super().clean()
        chosen = [value for value in cleaned.values() if value and value != IGNORE]
        if "name" not in chosen and not any(c.get("field") == "name" and c.get("how") == "auto" for c in self.columns):
            raise forms.ValidationError(_("名称（会社名）の列を選んでください。"), code="name_required")
        duplicated = {value for value in chosen if chosen.count(value) > 1}
        if duplicated:
            raise forms.ValidationError(_("同じ項目を複数の列に選んでいます。"), code="duplicate_field")
        return cleaned

    def mapping(self) -> dict[str, str]:
        """normalised header → field, for the columns the user set."""
        result = {}
        for column in self.columns:
            value = self.cleaned_data.get(f"col_{column['index']}")
            if value and column["key"]:
                result[column["key"]] = value
        return result
