"""Forms of the planning screens. They validate input; the services do the writing."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kakehashi.companies.models import Company
from kakehashi.companies.normalise import company_name_key
from kakehashi.core.japanese_dates import parse_date
from kakehashi.outreach.selectors import programme_staff
from kakehashi.reference.models import CodeItem, Municipality, Region

from .choices import WEEKDAY_CHOICES
from .models import CommunicatorProfile, CompanyConstraint, PlanSettings
from .services import parse_quota

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WeekdaysField(forms.MultipleChoiceField):
    """Weekday checkboxes stored as a string of digits ("01234")."""

    widget = forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list weekday-list"})

    def __init__(self, **kwargs):
        super().__init__(choices=WEEKDAY_CHOICES, **kwargs)

    def prepare_value(self, value):
        return list(value) if isinstance(value, str) else value

    def clean(self, value):
        return "".join(sorted(set(super().clean(value))))


class PlanSettingsForm(forms.ModelForm):
    class Meta:
        model = PlanSettings
        fields = [
            "period_start",
            "period_end",
            "visit_minutes",
            "detour_factor",
            "speed_kmh",
            "lookback_years",
            "exclude_heard",
            "employees_bands",
            "solver_seconds",
            "compactness_weight",
        ]
        widgets = {
            "period_start": DATE_INPUT,
            "period_end": DATE_INPUT,
            "employees_bands": forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employees_bands"].queryset = CodeItem.objects.filter(list="employees", active=True)


class CommunicatorProfileForm(forms.ModelForm):
    weekdays = WeekdaysField(label=_("勤務曜日"))
    leave_days = forms.CharField(
        label=_("休暇・不在の日"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("1行に1日（例: 2026-05-01 や R8.5.1）。この日は訪問を入れません"),
    )

    class Meta:
        model = CommunicatorProfile
        fields = [
            "home_municipality",
            "home_address",
            "home_latitude",
            "home_longitude",
            "weekdays",
            "day_start",
            "day_end",
            "max_visits_per_day",
            "regions",
            "active",
        ]
        widgets = {
            "day_start": TIME_INPUT,
            "day_end": TIME_INPUT,
            "regions": forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_municipality"].queryset = Municipality.objects.filter(
            prefecture_id=programme.prefecture_id, active=True
        ).exclude(kind="ward")
        self.fields["regions"].queryset = Region.objects.filter(prefecture_id=programme.prefecture_id, active=True)
        if self.instance.pk and not self.is_bound:
            self.initial["leave_days"] = "\n".join(
                f"{d:%Y-%m-%d}" for d in self.instance.leaves.values_list("day", flat=True)
            )

    def clean_leave_days(self) -> list[datetime.date]:
        days = []
        for line in (self.cleaned_data.get("leave_days") or "").splitlines():
            if not line.strip():
                continue
            try:
                day = parse_date(line.strip())
            except ValueError as error:
                raise ValidationError(str(error)) from error
            if day:
                days.append(day)
        return sorted(set(days))


def find_company(text: str, queryset) -> Company:
    """The one company with this corporate number or (normalised) name; a clear error otherwise."""
    value = (text or "").strip()
    digits = value.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if digits.isdigit() and len(digits) == 13:
        matches = queryset.filter(corporate_number=digits)
    else:
        matches = queryset.filter(name_key=company_name_key(value))
    found = list(matches[:2])
    if not found:
        raise ValidationError(_("「%(name)s」に一致する企業が台帳にありません。") % {"name": value})
    if len(found) > 1:
        raise ValidationError(_("同じ名称の企業が複数あります。法人番号で指定してください。"))
    return found[0]


class CompanyConstraintForm(forms.ModelForm):
    company_name = forms.CharField(
        label=_("企業（名称または法人番号）"), max_length=200, help_text=_("台帳の名称どおり、または13桁の法人番号")
    )
    preferred_weekdays = WeekdaysField(label=_("希望曜日"), required=False)

    class Meta:
        model = CompanyConstraint
        fields = [
            "preferred_weekdays",
            "earliest_time",
            "latest_time",
            "online_only",
            "declined",
            "not_before",
            "not_after",
            "duration_minutes",
            "note",
        ]
        widgets = {
            "earliest_time": TIME_INPUT,
            "latest_time": TIME_INPUT,
            "not_before": DATE_INPUT,
            "not_after": DATE_INPUT,
        }

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.companies = companies
        self.order_fields(["company_name"])
        if self.instance.pk:
            self.fields["company_name"].disabled = True
            self.fields["company_name"].required = False
            self.initial["company_name"] = self.instance.company.name

    def clean_company_name(self):
        if self.instance.pk:
            return self.instance.company.name
        self.company = find_company(self.cleaned_data["company_name"], self.companies)
        return self.cleaned_data["company_name"]

    def clean(self):
        data = super().clean()
        if data.get("not_before") and data.get("not_after") and data["not_after"] < data["not_before"]:
            self.add_error("not_after", _("「この日より後は不可」は「この日より前は不可」以降の日付にしてください。"))
        if data.get("earliest_time") and data.get("latest_time") and data["latest_time"] < data["earliest_time"]:
            self.add_error("latest_time", _("開始の期限は、訪問できる最初の時刻より後にしてください。"))
        return data

    def _post_clean(self):
        """The service validates the model (the company is set there)."""


class CompanionRequestForm(forms.Form):
    company_name = forms.CharField(label=_("企業（名称または法人番号）"), max_length=200)
    companion = forms.ModelChoiceField(label=_("同行者"), queryset=None)
    note = forms.CharField(label=_("備考"), max_length=300, required=False)

    def __init__(self, *args, programme, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.companies = companies
        self.fields["companion"].queryset = programme_staff(programme, "prefecture", "partner", "coordinator")

    def clean_company_name(self):
        self.company = find_company(self.cleaned_data["company_name"], self.companies)
        return self.cleaned_data["company_name"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("承認する")), ("return", _("差し戻す"))])
    comment = forms.CharField(
        label=_("コメント"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("差し戻すときは、直してほしい点を書いてください"),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("差戻しの理由を入力してください。"))
        return data


def parse_quota_post(post, rows, *, target: int) -> tuple[dict[int, int], dict[int, str]]:
    """Quotas typed on the quota screen: {pk: companies} and {pk: error} for what could not be read."""
    values, errors = {}, {}
    for row in rows:
        raw = post.get(f"quota-{row.pk}")
        if raw is None or raw.strip() == "":
            continue
        try:
            values[row.pk] = parse_quota(raw, target=target)
        except ValidationError as error:
            errors[row.pk] = " ".join(error.messages)
    return values, errors
