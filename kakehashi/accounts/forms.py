from django import forms
from django.utils.translation import gettext_lazy as _


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("トークンの名前"), max_length=100, help_text=_("例：集計スクリプト用"))
