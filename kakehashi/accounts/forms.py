from django import forms
from django.utils.translation import gettext_lazy as _


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("トークンの名前"), max_length=100, help_text=_("例：集計スクリプト用"))


class MfaCodeForm(forms.Form):
    code = forms.CharField(
        label=_("確認コード"),
        max_length=20,
        help_text=_(
            "認証アプリに表示されている6桁の数字。スマートフォンが手元にない場合はリカバリーコードを入力します。"
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "spellcheck": "false"}
        ),
    )


class MfaSetupForm(forms.Form):
    code = forms.CharField(
        label=_("確認コード"),
        max_length=10,
        help_text=_("登録した認証アプリに表示された6桁の数字"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )
