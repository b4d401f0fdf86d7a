"""Forms of the sharing screens. They validate input; the services do the writing."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kakehashi.reference.models import CodeItem

from .choices import (
    AdviceStatus,
    ConsentScope,
    PriorityDecisionKind,
    ReferralDestination,
    ReferralStatus,
    Urgency,
)
from .models import PriorityWeights


class ReferralForm(forms.Form):
    destination = forms.ChoiceField(
        label=_("紹介先"), choices=ReferralDestination.choices, widget=forms.RadioSelect, initial="foundation"
    )
    challenges = forms.ModelMultipleChoiceField(
        label=_("相談したい課題"),
        queryset=CodeItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.CharField(
        label=_("紹介の目的・相談したい内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("機構・センターの担当者が最初の連絡で役立つように、具体的に書いてください。"),
    )
    urgency = forms.ChoiceField(label=_("緊急度"), choices=Urgency.choices, widget=forms.RadioSelect, initial="normal")
    consent_scope = forms.ChoiceField(
        label=_("企業が同意した提供範囲"),
        choices=ConsentScope.choices,
        widget=forms.RadioSelect,
        initial="company",
        help_text=_("担当者の連絡先は、企業が同意した場合だけ機構・センターに表示されます。"),
    )
    contact = forms.ModelChoiceField(
        label=_("連絡先として同意した担当者"), queryset=None, required=False, empty_label=_("（選択してください）")
    )
    note = forms.CharField(label=_("メモ"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, visit, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenges"].queryset = CodeItem.objects.filter(list="challenge", active=True).order_by(
            "order", "code"
        )
        self.fields["contact"].queryset = contacts
        if not self.is_bound:
            self.initial["challenges"] = list(visit.challenges.values_list("pk", flat=True))
            self.initial["contact"] = visit.contact_id

    def clean(self):
        data = super().clean()
        if data.get("consent_scope") == ConsentScope.CONTACT and not data.get("contact"):
            self.add_error("contact", _("連絡先の提供に同意した場合は担当者を選んでください。"))
        return data


class ReferralMoveForm(forms.Form):
    to_status = forms.ChoiceField(label=_("新しい状態"), choices=())
    occurred_on = forms.DateField(
        label=_("日付"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
        help_text=_("空欄なら今日の日付で記録します。"),
    )
    note = forms.CharField(
        label=_("メモ"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("見送りの場合は理由を必ず書いてください。"),
    )

    def __init__(self, *args, moves: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ReferralStatus.choices)
        self.fields["to_status"].choices = [(m, labels[m]) for m in moves]


class ReferralFilterForm(forms.Form):
    q = forms.CharField(label=_("企業名"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("状態"), required=False, choices=[("", _("すべて")), *ReferralStatus.choices])
    destination = forms.ChoiceField(
        label=_("紹介先"), required=False, choices=[("", _("すべて")), *ReferralDestination.choices]
    )


class AdviceOpenForm(forms.Form):
    company = forms.ModelChoiceField(label=_("企業"), queryset=None, empty_label=_("（選択してください）"))
    subject = forms.CharField(label=_("件名"), max_length=200)
    body = forms.CharField(label=_("相談したいこと"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies


class AdviceReplyForm(forms.Form):
    body = forms.CharField(label=_("メッセージ"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class AdviceFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状態"), required=False, choices=[("", _("すべて")), *AdviceStatus.choices])


class PriorityDecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("判断"), choices=PriorityDecisionKind.choices)
    note = forms.CharField(
        label=_("理由・助言"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") in (PriorityDecisionKind.DECLINE, PriorityDecisionKind.ADVICE) and not data.get("note"):
            self.add_error("note", _("見送りの理由・助言の内容を入力してください。"))
        return data


class PriorityFilterForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("判断"),
        required=False,
        choices=[("", _("すべて")), ("none", _("未判断")), *PriorityDecisionKind.choices],
    )


class WeightsForm(forms.ModelForm):
    class Meta:
        model = PriorityWeights
        fields = [*PriorityWeights.WEIGHT_FIELDS, "note"]
        widgets = {name: forms.NumberInput(attrs={"inputmode": "numeric"}) for name in PriorityWeights.WEIGHT_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PriorityWeights.WEIGHT_FIELDS:
            self.fields[name].widget.attrs.update({"min": -100, "max": 100})
            self.fields[name].validators.append(_within_hundred)
        self.fields["note"].required = True
        self.initial["note"] = ""

    def weight_values(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in PriorityWeights.WEIGHT_FIELDS}


def _within_hundred(value: int) -> None:
    if value is not None and not -100 <= value <= 100:
        raise forms.ValidationError(_("-100 から 100 の範囲で入力してください。"))
