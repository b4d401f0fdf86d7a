"""Forms of the content library: the item form and the one filter definition of the list."""

from dataclasses import dataclass, field

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kakehashi.reference.models import CodeItem

from ..choices import ContentAudience, ContentKind
from ..models import ContentItem
from ..services.content import MAX_CONTENT_BYTES


def code_queryset(list_name: str, current_ids=()) -> QuerySet[CodeItem]:
    """Active items of a list, plus the ones the item already holds (a retired code stays visible)."""
    current_ids = [pk for pk in current_ids if pk]
    condition = Q(active=True) | Q(pk__in=current_ids) if current_ids else Q(active=True)
    return CodeItem.objects.filter(list=list_name).filter(condition).order_by("order", "code")


class CodeChoiceField(forms.ModelChoiceField):
    """One item of a code list, posted by its code."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", {"invalid_choice": _("選択肢から選んでください。")})
        super().__init__(queryset, to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return obj.label


class CodeMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Items of a code list, posted by their codes."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("required", False)
        message = _("選択肢から選んでください。")
        kwargs.setdefault("error_messages", {"invalid_choice": message, "invalid_pk_value": message})
        super().__init__(queryset, to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return obj.label


class ContentForm(forms.Form):
    title = forms.CharField(label=_("タイトル"), max_length=200)
    kind = forms.ChoiceField(
        label=_("種類"), choices=ContentKind.choices, widget=forms.RadioSelect(attrs={"class": "choice-rows"})
    )
    description = forms.CharField(
        label=_("説明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("何が分かる資料か。紹介系は、相談やメールマガジンの申込方法もここに書きます。"),
    )
    challenges = CodeMultipleChoiceField(
        CodeItem.objects.none(),
        label=_("課題カテゴリ"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-rows"}),
        help_text=_("訪問でこの課題を選ぶと、候補として表示されます。"),
    )
    introduction = CodeChoiceField(
        CodeItem.objects.none(),
        label=_("紹介内容コード"),
        help_text=_("このコンテンツを見せたときに訪問報告へ記録される紹介内容です。"),
    )
    audience = forms.ChoiceField(label=_("対象"), choices=ContentAudience.choices)
    version = forms.CharField(label=_("版"), max_length=20, required=False, help_text=_("例: 2026年4月版、第2版"))
    url = forms.URLField(label=_("リンク"), required=False, assume_scheme="https")
    file = forms.FileField(
        label=_("ファイル"),
        required=False,
        help_text=_("PDF または画像（PNG・JPEG）、%(mb)dMBまで。") % {"mb": MAX_CONTENT_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    remove_file = forms.BooleanField(label=_("今のファイルを削除する"), required=False)
    active = forms.BooleanField(label=_("有効（訪問で候補に出す）"), required=False, initial=True)

    def __init__(self, *args, item: ContentItem | None = None, **kwargs):
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": item.title,
                "kind": item.kind,
                "description": item.description,
                "challenges": [c.code for c in item.challenges.all()],
                "introduction": item.introduction.code if item.introduction_id else None,
                "audience": item.audience,
                "version": item.version,
                "url": item.url,
                "active": item.active,
            }
        super().__init__(*args, **kwargs)
        held = list(item.challenges.values_list("pk", flat=True)) if item is not None else []
        self.fields["challenges"].queryset = code_queryset("challenge", held)
        self.fields["introduction"].queryset = code_queryset("introduction", [item.introduction_id] if item else [])
        if item is None or not item.file:
            del self.fields["remove_file"]

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "description": data.get("description", ""),
            "challenges": list(data.get("challenges") or []),
            "introduction": data.get("introduction"),
            "audience": data["audience"],
            "version": data.get("version", ""),
            "url": data.get("url", ""),
            "active": data.get("active", False),
        }


ACTIVE, RETIRED, ALL = "", "retired", "all"


class ContentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("キーワード"), required=False, max_length=100, help_text=_("タイトルと説明から探します。")
    )
    kind = forms.ChoiceField(label=_("種類"), required=False, choices=[("", _("すべて")), *ContentKind.choices])
    challenge = forms.ChoiceField(label=_("課題カテゴリ"), required=False)
    state = forms.ChoiceField(
        label=_("状態"),
        required=False,
        choices=[(ACTIVE, _("有効のみ")), (RETIRED, _("無効のみ")), (ALL, _("すべて"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = CodeItem.objects.filter(list="challenge").order_by("order", "code")
        self.fields["challenge"].choices = [("", _("すべて")), *[(c.code, c.label) for c in codes]]

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in ("kind", "challenge", "state"))


@dataclass
class ContentFilterResult:
    queryset: QuerySet
    form: ContentFilterForm
    ignored: list[str] = field(default_factory=list)


def filter_content(queryset: QuerySet[ContentItem], data) -> ContentFilterResult:
    """The list's filters (keyword, kind, challenge, active): one definition for the page and any export.
    A value that does not validate is ignored and reported, never an error page."""
    form = ContentFilterForm(data or None)
    ignored: list[str] = []
    cleaned: dict = {}
    if form.is_bound:
        form.is_valid()
        cleaned = dict(form.cleaned_data)
        for name in form.errors:
            ignored.append(_("「%(label)s」の条件が正しくないため無視しました。") % {"label": form.fields[name].label})
    state = cleaned.get("state", ACTIVE)
    if state == ACTIVE:
        queryset = queryset.filter(active=True)
    elif state == RETIRED:
        queryset = queryset.filter(active=False)
    if cleaned.get("kind"):
        queryset = queryset.filter(kind=cleaned["kind"])
    if cleaned.get("challenge"):
        queryset = queryset.filter(challenges__code=cleaned["challenge"])
    if cleaned.get("q"):
        for term in cleaned["q"].split():
            queryset = queryset.filter(Q(title__icontains=term) | Q(description__icontains=term))
    return ContentFilterResult(queryset=queryset.distinct(), form=form, ignored=ignored)
