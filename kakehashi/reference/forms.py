"""Forms of the reference pages. They validate input; the services do the writing."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import Municipality, Region

_required = {"required": _("入力してください。")}


class CodeItemForm(forms.Form):
    """Labels, order and description of an existing code."""

    label_ja = forms.CharField(label=_("日本語"), max_length=100, error_messages=_required)
    label_en = forms.CharField(label=_("英語"), max_length=100, required=False)
    order = forms.IntegerField(
        label=_("表示順"),
        min_value=0,
        max_value=32767,
        error_messages={
            "required": _("表示順を数字で入力してください。"),
            "invalid": _("表示順は0以上の整数で入力してください。"),
            "min_value": _("表示順は0以上の整数で入力してください。"),
            "max_value": _("表示順は32767以下で入力してください。"),
        },
    )
    description = forms.CharField(label=_("説明"), max_length=300, required=False)


class CodeItemCreateForm(CodeItemForm):
    """A new code: the code itself is fixed once created."""

    code = forms.CharField(
        label=_("コード"),
        max_length=30,
        help_text=_(
            "半角の英小文字・数字・アンダースコア（例: cloud_service）。後から変更できず、再利用もできません。"
        ),
        validators=[
            RegexValidator(r"^[a-z0-9_]+$", _("コードは半角の英小文字・数字・アンダースコア（_）で入力してください。"))
        ],
        error_messages=_required,
    )
    order = forms.IntegerField(
        label=_("表示順"),
        min_value=0,
        max_value=32767,
        required=False,
        help_text=_("空欄なら末尾に追加します。"),
        error_messages={
            "invalid": _("表示順は0以上の整数で入力してください。"),
            "min_value": _("表示順は0以上の整数で入力してください。"),
            "max_value": _("表示順は32767以下で入力してください。"),
        },
    )

    field_order = ["code", "label_ja", "label_en", "order", "description"]


class MunicipalityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        return obj.name


class RegionForm(forms.Form):
    """Rename a region and choose its municipalities (within its prefecture)."""

    name = forms.CharField(label=_("地域名"), max_length=30, error_messages=_required)
    order = forms.IntegerField(
        label=_("表示順"),
        min_value=0,
        max_value=32767,
        error_messages={
            "required": _("表示順を数字で入力してください。"),
            "invalid": _("表示順は0以上の整数で入力してください。"),
            "min_value": _("表示順は0以上の整数で入力してください。"),
        },
    )
    municipalities = MunicipalityChoiceField(
        label=_("市区町村"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("選べない市区町村が含まれています。")},
    )

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.filter(
            prefecture_id=region.prefecture_id
        ).order_by("code")
