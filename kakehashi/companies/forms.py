"""Forms of the registry screens. They validate input only; views hand the cleaned values to services."""

import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kakehashi.outreach.models import Programme
from kakehashi.reference.choices import CodeList, IndustryLevel
from kakehashi.reference.models import CodeItem, Industry, Municipality

from .choices import CompanyStatus
from .corporate_number import is_valid_corporate_number, normalise_corporate_number
from .models import Company, Contact
from .normalise import normalise_text

_POSTAL_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−ー－〒]+")
_PHONE_ALLOWED = re.compile(r"^\+?[0-9()\-\s]+$")


class IndustryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}" if obj.level == IndustryLevel.MAJOR else f"　{obj.code} {obj.name}"


class CodeItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.prefecture.name} {obj.name}"


def _active_or_current(queryset, current_id):
    return queryset.filter(Q(active=True) | Q(pk=current_id)) if current_id else queryset.filter(active=True)


class CompanyForm(forms.ModelForm):
    """The company's attributes. Name and kana are kept as typed; the normalised key is derived on save."""

    # Declared here so that spellings longer than the stored form (hyphens, 〒) reach the cleaning below.
    corporate_number = forms.CharField(
        label=_("法人番号"),
        required=False,
        max_length=30,
        help_text=_("13桁。分からない場合や個人事業主は空欄のまま登録できます。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    postal_code = forms.CharField(
        label=_("郵便番号"),
        required=False,
        max_length=20,
        help_text=_("7桁（ハイフンありでも可）"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    website = forms.URLField(
        label=_("ウェブサイト"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        error_messages={"invalid": _("URLの形式が正しくありません（例: https://www.example.jp/）。")},
    )

    SERVICE_FIELDS = (
        "corporate_number",
        "name",
        "name_kana",
        "legal_form",
        "postal_code",
        "municipality",
        "address",
        "industry",
        "business_form",
        "employees_band",
        "revenue_band",
        "website",
        "status",
        "closed_on",
    )

    class Meta:
        model = Company
        fields = [
            "name",
            "name_kana",
            "corporate_number",
            "legal_form",
            "postal_code",
            "municipality",
            "address",
            "industry",
            "business_form",
            "employees_band",
            "revenue_band",
            "website",
            "status",
            "closed_on",
        ]
        field_classes = {
            "legal_form": CodeItemChoiceField,
            "business_form": CodeItemChoiceField,
            "employees_band": CodeItemChoiceField,
            "revenue_band": CodeItemChoiceField,
            "industry": IndustryChoiceField,
            "municipality": MunicipalityChoiceField,
        }
        widgets = {
            "closed_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "name_kana": _("カタカナで入力してください。"),
        }
        error_messages = {"name": {"required": _("名称を入力してください。")}}

    def __init__(self, *args, programme: Programme | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        municipalities = Municipality.objects.select_related("prefecture").order_by("code")
        if programme is not None:
            municipalities = municipalities.filter(
                Q(prefecture_id=programme.prefecture_id, active=True) | Q(pk=instance.municipality_id or 0)
            )
        else:
            municipalities = _active_or_current(municipalities, instance.municipality_id)
        self.fields["municipality"].queryset = municipalities
        self.fields["industry"].queryset = _active_or_current(
            Industry.objects.order_by("order", "code"), instance.industry_id
        )
        for name, code_list in (
            ("legal_form", CodeList.LEGAL_FORM),
            ("business_form", CodeList.BUSINESS_FORM),
            ("employees_band", CodeList.EMPLOYEES),
            ("revenue_band", CodeList.REVENUE),
        ):
            self.fields[name].queryset = _active_or_current(
                CodeItem.objects.filter(list=code_list), getattr(instance, f"{name}_id")
            )
            self.fields[name].empty_label = _("（未設定）")
        for name in ("municipality", "industry"):
            self.fields[name].empty_label = _("（未設定）")
        if instance.pk is None:
            # A new record is a live one; closing is recorded later.
            del self.fields["status"]
            del self.fields["closed_on"]
            return
        # A merge is recorded only by the merge service, never typed in.
        self.fields["status"].choices = [
            (CompanyStatus.ACTIVE, CompanyStatus.ACTIVE.label),
            (CompanyStatus.CLOSED, CompanyStatus.CLOSED.label),
        ]

    def clean_name(self) -> str:
        name = normalise_text(self.cleaned_data["name"]) if self.cleaned_data.get("name") else ""
        if not name:
            raise forms.ValidationError(_("名称を入力してください。"))
        return self.cleaned_data["name"].strip()

    def clean_name_kana(self) -> str:
        return normalise_text(self.cleaned_data.get("name_kana", ""))

    def clean_corporate_number(self) -> str | None:
        raw = self.cleaned_data.get("corporate_number") or ""
        number = normalise_corporate_number(raw)
        if not number:
            return None
        if not (len(number) == 13 and number.isascii() and number.isdigit()):
            raise forms.ValidationError(_("法人番号は13桁の数字で入力してください。"))
        if not is_valid_corporate_number(number):
            raise forms.ValidationError(_("法人番号のチェックデジットが一致しません。番号をご確認ください。"))
        if Company.objects.filter(corporate_number=number).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("この法人番号の企業等はすでに登録されています。"))
        return number

    def clean_postal_code(self) -> str:
        code = _POSTAL_SEPARATORS.sub("", normalise_text(self.cleaned_data.get("postal_code", "")))
        if code and not (len(code) == 7 and code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("郵便番号は7桁の数字で入力してください（例: 990-8570）。"))
        return code

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == CompanyStatus.ACTIVE and cleaned.get("closed_on"):
            self.add_error("closed_on", _("閉鎖日は状態が「閉鎖」のときだけ入力してください。"))
        return cleaned

    def service_fields(self) -> dict:
        """The cleaned values for `company_create` / `company_update`."""
        return {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS if name in self.cleaned_data}


class ContactForm(forms.ModelForm):
    """担当者 (personal information)."""

    class Meta:
        model = Contact
        fields = ["name", "name_kana", "department", "title", "phone", "email", "note"]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        error_messages = {
            "name": {"required": _("氏名を入力してください。")},
            "email": {"invalid": _("メールアドレスの形式が正しくありません（例: taro@example.jp）。")},
        }

    def clean_name(self) -> str:
        name = (self.cleaned_data.get("name") or "").strip()
        if not name:
            raise forms.ValidationError(_("氏名を入力してください。"))
        return name

    def clean_phone(self) -> str:
        phone = normalise_text(self.cleaned_data.get("phone", ""))
        if not phone:
            return ""
        digits = re.sub(r"\D", "", phone)
        if not _PHONE_ALLOWED.match(phone) or not 10 <= len(digits) <= 13:
            raise forms.ValidationError(_("電話番号は数字とハイフンで入力してください（例: 023-630-2211）。"))
        return phone

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MergeForm(forms.Form):
    """Which of the two records survives the merge."""

    survivor = forms.TypedChoiceField(
        label=_("残す記録"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("残す記録を選んでください。")},
    )

    def __init__(self, *args, first: Company, second: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [
            (first.pk, f"{first.name}（ID {first.pk}）"),
            (second.pk, f"{second.name}（ID {second.pk}）"),
        ]
