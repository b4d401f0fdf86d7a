"""Forms of the community pages. They validate input; the services decide and write."""

import datetime

from django import forms
from django.contrib.auth import password_validation
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kakehashi.accounts.models import User
from kakehashi.reference.models import CodeItem

from .choices import NotifyFrequency, OrganisationKind
from .models import Member


def _challenges():
    return CodeItem.objects.filter(list="challenge", active=True).order_by("order", "code")


class SignupForm(forms.Form):
    display_name = forms.CharField(label=_("お名前"), max_length=100)
    email = forms.EmailField(label=_("メールアドレス"), help_text=_("確認のリンクをお送りします。"))
    username = forms.CharField(
        label=_("ユーザー名"),
        max_length=30,
        min_length=3,
        help_text=_("半角英数字と _ . - 。ログインと @メンションに使います。"),
        validators=[RegexValidator(r"^[A-Za-z0-9_.-]+$", _("半角英数字と _ . - で入力してください。"))],
    )
    kind = forms.ChoiceField(
        label=_("所属の種別"),
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
        initial=OrganisationKind.LOCAL,
    )
    it_company = forms.TypedChoiceField(
        label=_("IT企業ディレクトリに掲載の企業"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("掲載されている場合は選んでください。"),
    )
    organisation_name = forms.CharField(
        label=_("会社・団体名"), max_length=200, required=False, help_text=_("例：株式会社蔵王精機")
    )
    agree = forms.BooleanField(label=_("利用規約と個人情報の取り扱いに同意します"))

    def __init__(self, *args, directory=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("（掲載されていない・地域企業）"))] + [(str(pk), name) for pk, name in directory]
        self.fields["it_company"].choices = choices
        if not directory:
            del self.fields["it_company"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("このユーザー名はすでに使われています。"))
        return username

    def clean(self):
        data = super().clean()
        if not data.get("it_company") and not (data.get("organisation_name") or "").strip():
            self.add_error("organisation_name", _("会社・団体名を入力してください。"))
        return data


class VerifyForm(forms.Form):
    password1 = forms.CharField(
        label=_("パスワード"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("パスワード（確認）"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, payload: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.payload = payload
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("パスワードが一致しません。"))
        elif data.get("password1"):
            user = User(username=self.payload["username"], email=self.payload["email"])
            try:
                password_validation.validate_password(data["password1"], user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ProfileForm(forms.ModelForm):
    offer_challenges = forms.ModelMultipleChoiceField(
        label=_("提供できること（課題カテゴリ）"),
        queryset=CodeItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    need_challenges = forms.ModelMultipleChoiceField(
        label=_("求めていること（課題カテゴリ）"),
        queryset=CodeItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )

    class Meta:
        model = Member
        fields = ["title", "need_challenges", "needs_text", "offer_challenges", "offers_text", "notify_frequency"]
        widgets = {
            "needs_text": forms.Textarea(attrs={"rows": 4}),
            "offers_text": forms.Textarea(attrs={"rows": 4}),
            "notify_frequency": forms.RadioSelect,
        }
        help_texts = {
            "needs_text": _("困っていること、相談したいことを具体的に。マッチングの手がかりになります。"),
            "offers_text": _("提供できる製品・サービス・経験。"),
            "notify_frequency": _("メンション・返信・紹介依頼の知らせ方。サイト上の通知はいつでも見られます。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer_challenges"].queryset = _challenges()
        self.fields["need_challenges"].queryset = _challenges()
        self.fields["notify_frequency"].choices = NotifyFrequency.choices


class IntroductionForm(forms.Form):
    message = forms.CharField(
        label=_("メッセージ"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("相手に伝えたいこと（何を相談したいか、どんな協力ができるか）。"),
    )


class IntroductionAnswerForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("承諾")), ("decline", _("辞退"))])
    message = forms.CharField(label=_("ひとこと（任意）"), max_length=2000, required=False)


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("タイトル"), max_length=200)
    body = forms.CharField(
        label=_("本文"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("@ユーザー名 で会員に知らせることができます。"),
    )


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("返信"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("@ユーザー名 で会員に知らせることができます。"),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300)


class MeetupDraftForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("開始日時"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("プロジェクト名"), max_length=200)
    summary = forms.CharField(
        label=_("概要"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("一緒に取り組む会員"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
        help_text=_(
            "あなたを含め、2つ以上の組織の会員が必要です。紹介が成立した相手とプロジェクトの仲間から選べます。"
        ),
    )
    challenges = forms.ModelMultipleChoiceField(
        label=_("課題カテゴリ"),
        queryset=CodeItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    started_on = forms.DateField(
        label=_("開始日"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = partners
        self.fields["participants"].label_from_instance = lambda m: f"{m.user}（{m.organisation}）"
        self.fields["challenges"].queryset = _challenges()

    def clean_started_on(self):
        value = self.cleaned_data["started_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("未来の日付は指定できません。"))
        return value


class AdvanceForm(forms.Form):
    on = forms.DateField(label=_("日付"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate)
    note = forms.CharField(label=_("メモ"), max_length=300, required=False)

    def clean_on(self) -> datetime.date:
        return self.cleaned_data["on"]
