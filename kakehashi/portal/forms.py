"""Forms of the portal: the public forms (consultation, mail magazine) and the staff and member editing forms."""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kakehashi.accounts.choices import Role
from kakehashi.accounts.models import User
from kakehashi.outreach.forms.content import CodeMultipleChoiceField, code_queryset
from kakehashi.reference.models import CodeItem, Industry, Municipality, Region

from .choices import ArticleKind, ArticleStatus, ConsultationStatus
from .services import MAX_TAGS

CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"})
TAG_SEPARATORS = str.maketrans({"、": ",", "，": ",", "　": ","})


def region_queryset() -> QuerySet[Region]:
    return Region.objects.filter(active=True).select_related("prefecture").order_by("prefecture__code", "order")


def municipality_queryset() -> QuerySet[Municipality]:
    """Municipalities of the prefectures the portal serves (those with regions configured)."""
    prefectures = Region.objects.filter(active=True).values("prefecture_id")
    return Municipality.objects.filter(prefecture_id__in=prefectures, active=True).order_by("code")


def industry_queryset() -> QuerySet[Industry]:
    return Industry.objects.filter(level="major", active=True).order_by("order", "code")


class IndustryMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(industry_queryset(), to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return obj.name


class ReferenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "label", None) or obj.name


# --- Public forms ------------------------------------------------------------------------------------------------


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS and aria-hidden); a bot that fills it is refused quietly."""

    homepage = forms.CharField(required=False, label=_("この欄は空のままにしてください"))

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("homepage"))


class ConsultationForm(HoneypotMixin):
    company_name = forms.CharField(
        label=_("会社名・団体名"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    person_name = forms.CharField(
        label=_("お名前"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(label=_("メールアドレス"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.RegexField(
        label=_("電話番号"),
        required=False,
        max_length=20,
        regex=r"^[0-9０-９+\-‐－() ]{6,20}$",
        error_messages={"invalid": _("数字とハイフンで入力してください。")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    municipality = ReferenceChoiceField(
        label=_("所在地（市区町村）"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("選択してください"),
    )
    challenges = CodeMultipleChoiceField(
        code_queryset("challenge"), label=_("相談したい課題（複数可）"), widget=CHECKBOXES
    )
    message = forms.CharField(
        label=_("ご相談内容"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("困っていること、実現したいことを自由にお書きください。"),
    )
    consent = forms.BooleanField(
        label=_("入力した個人情報を、相談への対応のために事業の事務局と支援機関が利用することに同意します"),
        error_messages={"required": _("同意いただくと送信できます。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipality_queryset()
        self.fields["challenges"].queryset = code_queryset("challenge")
        self.order_fields(
            ["company_name", "person_name", "email", "phone", "municipality", "challenges", "message", "consent"]
        )


class MagazineForm(HoneypotMixin):
    email = forms.EmailField(
        label=_("メールアドレス"), widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"})
    )


# --- Filters (one definition per list: page and API) ----------------------------------------------------------


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("キーワード"), required=False, max_length=100, help_text=_("社名・事業内容・得意分野など（1文字から）")
    )
    challenge = forms.ModelChoiceField(
        CodeItem.objects.none(),
        label=_("対応できる課題"),
        required=False,
        to_field_name="code",
        empty_label=_("すべて"),
    )
    industry = forms.ModelChoiceField(
        Industry.objects.none(),
        label=_("取引実績のある業種"),
        required=False,
        to_field_name="code",
        empty_label=_("すべて"),
    )
    region = forms.ModelChoiceField(
        Region.objects.none(), label=_("地域"), required=False, to_field_name="code", empty_label=_("すべて")
    )
    size = forms.ModelChoiceField(
        CodeItem.objects.none(), label=_("従業員規模"), required=False, to_field_name="code", empty_label=_("すべて")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = code_queryset("challenge")
        self.fields["challenge"].label_from_instance = lambda o: o.label
        self.fields["industry"].queryset = industry_queryset()
        self.fields["industry"].label_from_instance = lambda o: o.name
        self.fields["region"].queryset = region_queryset()
        self.fields["region"].label_from_instance = lambda o: o.name
        self.fields["size"].queryset = code_queryset("employees")
        self.fields["size"].label_from_instance = lambda o: o.label

    @property
    def is_filtered(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("challenge", "industry", "region", "size"))


class ArticleFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("種類"), required=False, choices=[("", _("すべて")), *ArticleKind.choices])
    challenge = forms.ModelChoiceField(
        CodeItem.objects.none(), label=_("課題カテゴリ"), required=False, to_field_name="code", empty_label=_("すべて")
    )
    tag = forms.CharField(label=_("タグ"), required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = code_queryset("challenge")
        self.fields["challenge"].label_from_instance = lambda o: o.label


# --- Staff: articles -----------------------------------------------------------------------------------------------


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("タイトル"), max_length=120)
    kind = forms.ChoiceField(label=_("種類"), choices=ArticleKind.choices)
    summary = forms.CharField(
        label=_("概要"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("一覧と検索エンジン・SNSの説明に使います（200字まで）。"),
    )
    body = forms.CharField(
        label=_("本文（Markdown）"),
        widget=forms.Textarea(attrs={"rows": 16, "class": "markdown-input"}),
        max_length=50000,
        help_text=_(
            "見出しは ## 、箇条書きは - 、リンクは [文字](https://…) 、画像は「画像を登録」で得た行を貼り付けます。"
        ),
    )
    tags = forms.CharField(
        label=_("タグ"), required=False, max_length=400, help_text=_("読点（、）またはカンマで区切ります。")
    )
    challenges = CodeMultipleChoiceField(code_queryset("challenge"), label=_("課題カテゴリ"), widget=CHECKBOXES)
    status = forms.ChoiceField(
        label=_("状態"), choices=ArticleStatus.choices, widget=forms.RadioSelect(attrs={"class": "portal-choices"})
    )
    published_at = forms.DateTimeField(
        label=_("公開日時"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("空欄で公開すると今の日時になります。未来の日時にすると、その時から公開されます。"),
    )

    def __init__(self, *args, article=None, **kwargs):
        if article is not None and "initial" not in kwargs:
            published = timezone.localtime(article.published_at) if article.published_at else None
            kwargs["initial"] = {
                "title": article.title,
                "kind": article.kind,
                "summary": article.summary,
                "body": article.body,
                "tags": "、".join(t.name for t in article.tags.all()),
                "challenges": [c.code for c in article.challenges.all()],
                "status": article.status,
                "published_at": published.replace(tzinfo=None) if published else None,
            }
        kwargs.setdefault("initial", {}).setdefault("status", ArticleStatus.DRAFT)
        super().__init__(*args, **kwargs)
        current = [c.pk for c in article.challenges.all()] if article is not None else []
        self.fields["challenges"].queryset = code_queryset("challenge", current)

    def clean_tags(self) -> list[str]:
        text = (self.cleaned_data.get("tags") or "").translate(TAG_SEPARATORS)
        names = [n.strip() for n in text.split(",") if n.strip()]
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(_("タグは%(n)d個までです。") % {"n": MAX_TAGS})
        return names

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        published = data.get("published_at")
        if isinstance(published, datetime.datetime) and timezone.is_naive(published):
            data["published_at"] = timezone.make_aware(published)
        data["challenges"] = list(data.get("challenges") or [])
        return data


class ImageForm(forms.Form):
    file = forms.FileField(
        label=_("画像ファイル"),
        help_text=_("PNG・JPEG・GIF・WebP（5 MBまで）"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )
    alt = forms.CharField(
        label=_("画像の説明（代替テキスト）"), max_length=200, help_text=_("画像が見えない人のための説明")
    )


class PreviewForm(forms.Form):
    body = forms.CharField(required=False, max_length=50000)


# --- Directory profiles ----------------------------------------------------------------------------------------


class ProfileForm(forms.Form):
    """What a member proposes (and staff edit): the public profile of an IT company."""

    name = forms.CharField(label=_("企業名"), max_length=200)
    name_kana = forms.CharField(label=_("フリガナ"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("事業内容（ひとこと）"), max_length=120, help_text=_("一覧に表示します（120字まで）。")
    )
    description = forms.CharField(
        label=_("事業内容・得意分野"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    challenges = CodeMultipleChoiceField(
        code_queryset("challenge"), label=_("対応できる課題カテゴリ"), widget=CHECKBOXES
    )
    industries = IndustryMultipleChoiceField(label=_("取引実績のある業種"), widget=CHECKBOXES)
    region = ReferenceChoiceField(label=_("地域"), queryset=Region.objects.none(), required=False)
    municipality = ReferenceChoiceField(label=_("所在市区町村"), queryset=Municipality.objects.none(), required=False)
    employees_band = ReferenceChoiceField(label=_("従業員規模"), queryset=CodeItem.objects.none(), required=False)
    website = forms.URLField(label=_("ウェブサイト"), required=False, assume_scheme="https")
    contact_email = forms.EmailField(label=_("問い合わせ先メール（公開）"), required=False)
    founded_year = forms.IntegerField(label=_("設立年"), required=False, min_value=1850, max_value=2100)

    def __init__(self, *args, it_company=None, **kwargs):
        if it_company is not None and "initial" not in kwargs:
            kwargs["initial"] = profile_initial(it_company)
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_queryset()
        self.fields["municipality"].queryset = municipality_queryset()
        self.fields["employees_band"].queryset = code_queryset("employees")
        current = [c.pk for c in it_company.challenges.all()] if it_company is not None else []
        self.fields["challenges"].queryset = code_queryset("challenge", current)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["challenges"] = list(data.get("challenges") or [])
        data["industries"] = list(data.get("industries") or [])
        for name in ("name_kana", "description", "website", "contact_email"):
            data[name] = data.get(name) or ""
        return data


def profile_initial(it_company) -> dict:
    return {
        "name": it_company.name,
        "name_kana": it_company.name_kana,
        "summary": it_company.summary,
        "description": it_company.description,
        "challenges": [c.code for c in it_company.challenges.all()],
        "industries": [i.code for i in it_company.industries.all()],
        "region": it_company.region_id,
        "municipality": it_company.municipality_id,
        "employees_band": it_company.employees_band_id,
        "website": it_company.website,
        "contact_email": it_company.contact_email,
        "founded_year": it_company.founded_year,
    }


def it_member_queryset() -> QuerySet[User]:
    return User.objects.filter(roles__role=Role.IT_COMPANY_MEMBER, is_active=True).distinct().order_by("username")


class StaffProfileForm(ProfileForm):
    """Staff edit a profile directly: also who maintains it and whether it is listed."""

    members = forms.ModelMultipleChoiceField(
        User.objects.none(),
        label=_("掲載内容を管理するメンバー"),
        required=False,
        widget=CHECKBOXES,
        help_text=_("IT企業ロールのアカウントから選びます。"),
    )
    approved = forms.BooleanField(label=_("ディレクトリに公開する"), required=False)

    def __init__(self, *args, it_company=None, **kwargs):
        if it_company is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **profile_initial(it_company),
                "members": list(it_company.members.values_list("pk", flat=True)),
                "approved": it_company.approved,
            }
        super().__init__(*args, it_company=it_company, **kwargs)
        self.fields["members"].queryset = it_member_queryset()
        self.fields["members"].label_from_instance = lambda u: f"{u}（{u.organisation}）" if u.organisation else str(u)


class RevisionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("判断"),
        choices=[("approve", _("承認して公開")), ("reject", _("差し戻す"))],
        widget=forms.RadioSelect(attrs={"class": "portal-choices"}),
    )
    note = forms.CharField(
        label=_("コメント"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("差し戻すときは理由を書いてください。申請者に表示されます。"),
    )


# --- Staff: consultations, mail magazine ------------------------------------------------------------------------


def handler_queryset() -> QuerySet[User]:
    return (
        User.objects.filter(roles__role__in=[Role.COORDINATOR, Role.MANAGER], is_active=True)
        .distinct()
        .order_by("username")
    )


class ConsultationUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("状態"), choices=ConsultationStatus.choices)
    assigned_to = forms.ModelChoiceField(User.objects.none(), label=_("担当者"), required=False, empty_label=_("未定"))
    staff_note = forms.CharField(
        label=_("対応メモ"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = handler_queryset()


class ConsultationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *ConsultationStatus.choices]
    )


class MagazineIssueForm(forms.Form):
    subject = forms.CharField(label=_("件名"), max_length=150)
    body = forms.CharField(
        label=_("本文"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("テキストメールで送ります。末尾に配信停止のリンクが自動で付きます。"),
    )
    confirm = forms.BooleanField(
        label=_("購読中の全員に送信します"), error_messages={"required": _("確認のチェックを入れてください。")}
    )
