import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from kakehashi.companies.models import Contact

from .choices import AccessAction, ErasureChannel

REASON_MIN_CHARS = 4


class ExportReasonForm(forms.Form):
    """Exports that contain personal information ask why (APPI: 利用目的の特定); the answer is in the access log."""

    reason = forms.CharField(
        label=_("利用目的"),
        max_length=300,
        min_length=REASON_MIN_CHARS,
        help_text=_("例：県への定期報告のため／フォローアップの電話連絡のため。アクセス記録に残ります。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class AccessLogFilterForm(forms.Form):
    """One filter definition for the access-log page and its CSV export."""

    user = forms.CharField(label=_("利用者（ユーザー名・表示名）"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("操作"), required=False, choices=[("", _("すべて")), *AccessAction.choices])
    date_from = forms.DateField(
        label=_("開始日"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("終了日"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ErasureRequestForm(forms.Form):
    contact = forms.IntegerField(label=_("担当者ID"), min_value=1, widget=forms.HiddenInput)
    channel = forms.ChoiceField(label=_("請求の方法"), choices=ErasureChannel.choices)
    received_on = forms.DateField(
        label=_("受付日"), initial=datetime.date.today, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("経緯・備考"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("氏名・連絡先は書かないでください。"),
    )

    def __init__(self, *args, contacts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contacts = contacts if contacts is not None else Contact.objects.none()

    def clean_contact(self):
        contact = self.contacts.filter(pk=self.cleaned_data["contact"]).select_related("company").first()
        if contact is None:
            raise forms.ValidationError(_("担当者が見つかりません。"))
        return contact


class ErasureReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("判断"), choices=[("approve", _("承認する")), ("reject", _("却下する"))], widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("コメント"), required=False, max_length=300)
