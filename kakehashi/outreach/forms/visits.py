"""The visit report form (訪問報告書), the new-company form used inside it, and the review form.

Coded fields take codes only: each is a choice of the *active* items of its code list (plus the items the
visit already holds, so an old report still opens after a code is retired), posted by their code strings.
Nothing is required by the form itself: drafts keep whatever is valid, and what a submission needs is
checked by the service (`submission_problems`) and shown next to the fields.
"""

import re
import unicodedata

from django import forms
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from kakehashi.companies.corporate_number import is_valid_corporate_number, normalise_corporate_number
from kakehashi.companies.selectors import companies_for
from kakehashi.reference.models import CodeItem, Municipality

from ..models import ContentItem, Programme, Visit
from ..selectors import programme_staff
from ..services.visits import CONTACT_FIELDS, M2M_FIELDS, SCALAR_FIELDS, contact_values

_PHONE_ALLOWED = re.compile(r"^\+?[0-9()\-\s]+$")
# Shown with a 必須 mark: what a submission requires (see services.visits.submission_problems).
REQUIRED_ON_SUBMIT = frozenset({"company", "visit_date", "visit_format"})


class CodeChoiceField(forms.ModelChoiceField):
    """One item of a code list, posted by its code."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", {"invalid_choice": _("選択肢から選んでください。")})
        super().__init__(queryset, to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return obj.label


class CodeMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Items of a code list (multi), posted by their codes."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": _("選択肢から選んでください。"),
                "invalid_pk_value": _("選択肢から選んでください。"),
            },
        )
        super().__init__(queryset, to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return obj.label


class MunicipalityField(forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", {"invalid_choice": _("選択肢から選んでください。")})
        super().__init__(queryset, to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return obj.name


class StaffField(forms.ModelMultipleChoiceField):
    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", {"invalid_choice": _("選択肢から選んでください。")})
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj):
        return str(obj)


def _rows(inline: bool = False):
    return {"class": "choice-rows choice-rows--inline" if inline else "choice-rows"}


def code_queryset(list_name: str, current_ids=()):
    """Active items of a list, plus the ones a record already holds."""
    current_ids = [pk for pk in current_ids if pk]
    condition = Q(active=True) | Q(pk__in=current_ids) if current_ids else Q(active=True)
    return CodeItem.objects.filter(list=list_name).filter(condition).order_by("order", "code")


def municipality_queryset(programme: Programme | None, current_id=None):
    queryset = Municipality.objects.select_related("prefecture").order_by("code")
    if programme is None:
        return queryset.filter(Q(active=True) | Q(pk=current_id or 0))
    return queryset.filter(Q(prefecture_id=programme.prefecture_id, active=True) | Q(pk=current_id or 0))


class VisitForm(forms.Form):
    """The report's fields (a)–(g), plus dates, people, consent and the next step."""

    company = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("企業等"),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("企業等を選び直してください。")},
    )
    visit_date = forms.DateField(
        label=_("訪問日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("日付を正しく入力してください。")},
    )
    start_time = forms.TimeField(
        label=_("開始"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("時刻を正しく入力してください（例: 10:30）。")},
    )
    end_time = forms.TimeField(
        label=_("終了"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("時刻を正しく入力してください（例: 11:30）。")},
    )
    visit_format = CodeChoiceField(CodeItem.objects.none(), label=_("外訪形態"), widget=forms.RadioSelect(_rows(True)))
    communicators = StaffField(
        None, label=_("担当コミュニケータ"), widget=forms.CheckboxSelectMultiple(_rows()), required=False
    )
    companions = StaffField(
        None,
        label=_("同行者（ラボ構成団体など）"),
        widget=forms.CheckboxSelectMultiple(_rows()),
        required=False,
    )
    companions_note = forms.CharField(
        label=_("同行者（その他）"),
        required=False,
        max_length=200,
        help_text=_("上の一覧にいない同行者がいれば、所属と氏名を入力してください。"),
    )
    employees_band = CodeChoiceField(CodeItem.objects.none(), label=_("従業員規模"), empty_label=_("（未確認）"))
    business_form = CodeChoiceField(CodeItem.objects.none(), label=_("業態"), empty_label=_("（未確認）"))
    revenue_band = CodeChoiceField(CodeItem.objects.none(), label=_("売上規模"), empty_label=_("（未確認）"))
    municipality = MunicipalityField(
        Municipality.objects.none(), label=_("立地（市町村）"), empty_label=_("（未確認）")
    )
    challenges = CodeMultipleChoiceField(
        CodeItem.objects.none(), label=_("課題カテゴリ"), widget=forms.CheckboxSelectMultiple(_rows())
    )
    barriers = CodeMultipleChoiceField(
        CodeItem.objects.none(), label=_("取組の障壁"), widget=forms.CheckboxSelectMultiple(_rows())
    )
    digital_stage = CodeChoiceField(
        CodeItem.objects.none(), label=_("デジタル化の段階"), widget=forms.RadioSelect(_rows())
    )
    introductions = CodeMultipleChoiceField(
        CodeItem.objects.none(), label=_("紹介内容"), widget=forms.CheckboxSelectMultiple(_rows())
    )
    contents_shown = forms.ModelMultipleChoiceField(
        queryset=ContentItem.objects.none(),
        required=False,
        label=_("見せたコンテンツ"),
        widget=forms.CheckboxSelectMultiple(_rows()),
        error_messages={"invalid_choice": _("選択肢から選んでください。")},
    )
    outcomes = CodeMultipleChoiceField(
        CodeItem.objects.none(), label=_("勧誘成果"), widget=forms.CheckboxSelectMultiple(_rows())
    )
    interest_level = CodeChoiceField(CodeItem.objects.none(), label=_("関心度"), widget=forms.RadioSelect(_rows(True)))
    summary = forms.CharField(
        label=_("面談概要"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("聞き取った課題、現状、企業の反応などを自由に記入してください。"),
    )
    contact_name = forms.CharField(
        label=_("氏名"), required=False, max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    contact_title = forms.CharField(label=_("役職"), required=False, max_length=100)
    contact_phone = forms.CharField(
        label=_("電話番号"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    contact_email = forms.EmailField(
        label=_("メールアドレス"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": _("メールアドレスの形式が正しくありません（例: taro@example.jp）。")},
    )
    consent_share_foundation = forms.BooleanField(
        label=_("聞き取った内容を、やまがた産業支援機構・DX推進コーディネータと共有することに同意を得た"),
        required=False,
    )
    consent_contractor_use = forms.BooleanField(
        label=_("受託者が合意した範囲で利用することに同意を得た"), required=False
    )
    next_action = forms.CharField(
        label=_("次のアクション"),
        required=False,
        max_length=300,
        help_text=_("例: 機構の相談窓口を案内し、来週電話で確認する"),
    )
    follow_up_date = forms.DateField(
        label=_("フォローアップ日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("日付を正しく入力してください。")},
    )

    CODE_FIELDS = {
        "visit_format": "visit_format",
        "employees_band": "employees",
        "business_form": "business_form",
        "revenue_band": "revenue",
        "digital_stage": "digital_stage",
        "interest_level": "interest_level",
        "challenges": "challenge",
        "barriers": "barrier",
        "introductions": "introduction",
        "outcomes": "outcome",
    }
    SECTIONS = {
        "company_attributes": ("employees_band", "business_form", "revenue_band", "municipality"),
        "when": ("visit_date", "start_time", "end_time", "visit_format"),
        "people": ("communicators", "companions", "companions_note"),
        "challenges": ("challenges", "barriers", "digital_stage"),
        "introductions": ("introductions",),
        "outcomes": ("outcomes", "interest_level"),
        "summary": ("summary",),
        "contact": ("contact_name", "contact_title", "contact_phone", "contact_email"),
        "consent": ("consent_share_foundation", "consent_contractor_use"),
        "next": ("next_action", "follow_up_date"),
    }

    def __init__(self, data=None, *, user, programme: Programme, visit: Visit | None = None, **kwargs):
        self.user, self.programme, self.visit = user, programme, visit
        kwargs.setdefault("initial", self.initial_for(visit, user))
        super().__init__(data, **kwargs)
        held = self._held_ids(visit)
        for name, list_name in self.CODE_FIELDS.items():
            self.fields[name].queryset = code_queryset(list_name, held.get(name, ()))
        self.fields["municipality"].queryset = municipality_queryset(programme, held.get("municipality", [None])[0])
        self.fields["company"].queryset = companies_for(user)
        # The recorder first: the one box usually ticked is at the top.
        recorder_id = visit.recorded_by_id if visit is not None and visit.pk else user.pk
        self.fields["communicators"].queryset = programme_staff(programme, "communicator", "manager").order_by(
            Case(When(pk=recorder_id, then=Value(0)), default=Value(1)), "display_name", "username"
        )
        self.fields["companions"].queryset = programme_staff(programme, "partner")
        contents = ContentItem.objects.filter(programme=programme).filter(
            Q(active=True) | Q(pk__in=held.get("contents_shown", ()))
        )
        self.fields["contents_shown"].queryset = contents
        for name in REQUIRED_ON_SUBMIT:
            self.fields[name].required_on_submit = True
        if not self.fields["companions"].queryset.exists():
            self.fields["companions"].widget = forms.MultipleHiddenInput()

    @staticmethod
    def _held_ids(visit: Visit | None) -> dict[str, list]:
        if visit is None or visit.pk is None:
            return {}
        held = {name: [getattr(visit, f"{name}_id")] for name in SCALAR_FIELDS if hasattr(visit, f"{name}_id")}
        for name in M2M_FIELDS:
            held[name] = list(getattr(visit, name).values_list("pk", flat=True))
        return held

    @staticmethod
    def initial_for(visit: Visit | None, user) -> dict:
        """The form's starting values: the stored visit, or today's date and the recorder as communicator."""
        from django.utils import timezone

        if visit is None or visit.pk is None:
            return {"visit_date": timezone.localdate(), "communicators": [user.pk]}
        initial = {}
        for name in SCALAR_FIELDS:
            value = getattr(visit, name)
            if hasattr(value, "code") and name != "company":
                value = value.code
            elif name == "company":
                value = visit.company_id
            initial[name] = value
        for name in M2M_FIELDS:
            manager = getattr(visit, name)
            if name in VisitForm.CODE_FIELDS:
                initial[name] = list(manager.values_list("code", flat=True))
            else:
                initial[name] = list(manager.values_list("pk", flat=True))
        for key, value in contact_values(visit).items():
            initial[f"contact_{key}"] = value
        return initial

    def clean_contact_name(self) -> str:
        return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", self.cleaned_data.get("contact_name") or "")).strip()

    def clean_contact_phone(self) -> str:
        phone = unicodedata.normalize("NFKC", self.cleaned_data.get("contact_phone") or "").strip()
        if not phone:
            return ""
        digits = re.sub(r"\D", "", phone)
        if not _PHONE_ALLOWED.match(phone) or not 10 <= len(digits) <= 13:
            raise forms.ValidationError(_("電話番号は数字とハイフンで入力してください（例: 023-630-2211）。"))
        return phone

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end < start:
            self.add_error("end_time", _("終了時刻は開始時刻より後にしてください。"))
        visit_date, follow_up = cleaned.get("visit_date"), cleaned.get("follow_up_date")
        if visit_date and follow_up and follow_up < visit_date:
            self.add_error("follow_up_date", _("フォローアップ日は訪問日以降にしてください。"))
        return cleaned

    # What the services receive ------------------------------------------------------------------------------

    def valid_values(self) -> dict:
        """The visit's fields that validated (all of them when the form is valid): for drafts and submissions."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return {
            name: self.cleaned_data[name]
            for name in (*SCALAR_FIELDS, *M2M_FIELDS)
            if name in self.fields and name in self.cleaned_data and name not in self.errors
        }

    def contact(self) -> dict:
        """The contact person as typed (invalid parts left out)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return {key: self.cleaned_data.get(f"contact_{key}", "") or "" for key in CONTACT_FIELDS}

    def invalid_labels(self) -> list[str]:
        return [str(self.fields[name].label) for name in self.errors if name in self.fields]

    @property
    def sections(self) -> dict[str, list]:
        """Bound fields grouped by the form's sections (for templates: `form.sections.contact`)."""
        return {key: [self[name] for name in names if name in self.fields] for key, names in self.SECTIONS.items()}

    def add_service_errors(self, error) -> None:
        """Show a service's ValidationError next to the fields it names."""
        for field, messages in getattr(error, "message_dict", {None: error.messages}).items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


class NewCompanyForm(forms.Form):
    """A company not yet in the registry, entered at the visit; checked for duplicates before it is created."""

    new_company_name = forms.CharField(
        label=_("企業等の名称"),
        max_length=200,
        error_messages={"required": _("名称を入力してください。")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    new_company_kana = forms.CharField(
        label=_("フリガナ"), required=False, max_length=200, help_text=_("分かればカタカナで")
    )
    new_company_municipality = MunicipalityField(
        Municipality.objects.none(), label=_("所在地（市町村）"), empty_label=_("（分からない）")
    )
    new_company_corporate_number = forms.CharField(
        label=_("法人番号"),
        required=False,
        max_length=30,
        help_text=_("13桁。分からなければ空欄で構いません。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, data=None, *, programme: Programme | None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["new_company_municipality"].queryset = municipality_queryset(programme)

    def clean_new_company_name(self) -> str:
        name = (self.cleaned_data.get("new_company_name") or "").strip()
        if not unicodedata.normalize("NFKC", name).strip():
            raise forms.ValidationError(_("名称を入力してください。"))
        return name

    def clean_new_company_kana(self) -> str:
        return unicodedata.normalize("NFKC", self.cleaned_data.get("new_company_kana") or "").strip()

    def clean_new_company_corporate_number(self) -> str | None:
        number = normalise_corporate_number(self.cleaned_data.get("new_company_corporate_number") or "")
        if not number:
            return None
        if not (len(number) == 13 and number.isascii() and number.isdigit()):
            raise forms.ValidationError(_("法人番号は13桁の数字で入力してください。"))
        if not is_valid_corporate_number(number):
            raise forms.ValidationError(_("法人番号のチェックデジットが一致しません。番号をご確認ください。"))
        return number

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {"name": data["new_company_name"], "name_kana": data.get("new_company_kana") or ""}
        if data.get("new_company_municipality"):
            fields["municipality"] = data["new_company_municipality"]
        if data.get("new_company_corporate_number"):
            fields["corporate_number"] = data["new_company_corporate_number"]
        return fields


class ReviewForm(forms.Form):
    """A manager's decision on a submitted report."""

    ACCEPT, RETURN = "accept", "return"
    decision = forms.ChoiceField(
        choices=[(ACCEPT, _("承認する")), (RETURN, _("差し戻す"))],
        error_messages={"required": _("承認か差戻しかを選んでください。")},
    )
    comment = forms.CharField(
        label=_("差戻しの理由・コメント"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("差し戻すときは、直してほしい点を書いてください。記録者に表示されます。"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("差戻しの理由を入力してください。"))
        return cleaned


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("写真・PDF を追加"),
        help_text=_("JPEG・PNG・HEIC・PDF、1件10MBまで、1件の訪問につき10件まで"),
        error_messages={"required": _("ファイルを選んでください。"), "empty": _("空のファイルは添付できません。")},
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.heic,application/pdf"}),
    )
