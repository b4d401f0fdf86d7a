"""Forms of the events screens. They only shape input; the services validate and write."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from kakehashi.reference.models import Municipality

from .choices import QuestionKind
from .models import Event
from .questions import KEY_RE, answers_form_class

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
IT_CHOICES = [("0", _("地域企業・団体（IT企業ではない）")), ("1", _("IT企業"))]


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "theme",
            "description",
            "format",
            "starts_at",
            "ends_at",
            "venue_name",
            "venue_address",
            "municipality",
            "online_url",
            "capacity",
            "organiser",
            "moderator",
            "rounds",
            "tables",
        ]
        widgets = {"starts_at": DATETIME_WIDGET, "ends_at": DATETIME_WIDGET, "description": forms.Textarea({"rows": 5})}

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Municipality.objects.filter(active=True).select_related("prefecture")
        if programme is not None:
            qs = qs.filter(prefecture=programme.prefecture)
        self.fields["municipality"].queryset = qs
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean(self):
        data = super().clean()
        if data.get("format") in {"online", "hybrid"} and not data.get("online_url"):
            self.add_error("online_url", _("オンライン開催にはオンライン参加URLを入力してください。"))
        if data.get("format") in {"in_person", "hybrid"} and not (data.get("venue_name") or data.get("venue_address")):
            self.add_error("venue_name", _("会場名または住所を入力してください。"))
        return data


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("氏名"), max_length=100, widget=forms.TextInput({"autocomplete": "name"}))
    organisation = forms.CharField(
        label=_("所属（企業・団体名）"), max_length=200, widget=forms.TextInput({"autocomplete": "organization"})
    )
    is_it_company = forms.TypedChoiceField(
        label=_("所属の種類"), choices=IT_CHOICES, coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="0"
    )
    role_title = forms.CharField(label=_("役職"), max_length=100, required=False)
    email = forms.EmailField(label=_("メールアドレス"), widget=forms.EmailInput({"autocomplete": "email"}))
    consent = forms.BooleanField(
        label=_("個人情報の取扱い（下記）に同意します"),
        error_messages={"required": _("個人情報の取扱いに同意してください。")},
    )
    # Honeypot: hidden from people by CSS; bots fill every field.
    website = forms.CharField(label=_("ウェブサイト（入力しないでください）"), required=False)

    def __init__(self, *args, questions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions or []
        extra = answers_form_class(self.questions)().fields
        for key, field in extra.items():
            self.fields[f"q_{key}"] = field

    def answers(self) -> dict:
        return {k[2:]: v for k, v in self.cleaned_data.items() if k.startswith("q_")}


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("氏名"), max_length=100)
    organisation = forms.CharField(label=_("所属（企業・団体名）"), max_length=200)
    is_it_company = forms.TypedChoiceField(
        label=_("所属の種類"), choices=IT_CHOICES, coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="0"
    )
    role_title = forms.CharField(label=_("役職"), max_length=100, required=False)
    email = forms.EmailField(label=_("メールアドレス（任意・アンケート送付用）"), required=False)


class CheckInCodeForm(forms.Form):
    code = forms.CharField(
        label=_("受付コード"),
        max_length=200,
        widget=forms.TextInput({"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}),
    )


class QuestionForm(forms.Form):
    key = forms.CharField(
        label=_("キー（英小文字）"),
        max_length=40,
        help_text=_("集計と出力に使う識別子。公開後は変えないでください。"),
    )
    kind = forms.ChoiceField(label=_("種類"), choices=QuestionKind.choices)
    label = forms.CharField(label=_("質問文"), max_length=300)
    required = forms.BooleanField(label=_("必須"), required=False)
    options = forms.CharField(label=_("選択肢（1行に1つ）"), required=False, widget=forms.Textarea({"rows": 3}))

    def clean_key(self):
        key = self.cleaned_data["key"].strip()
        if not KEY_RE.match(key):
            raise forms.ValidationError(_("半角英小文字で始まる英数字・_で入力してください。"))
        return key

    def as_question(self) -> dict:
        d = self.cleaned_data
        q = {"key": d["key"], "kind": d["kind"], "label": d["label"], "required": d["required"]}
        if d["kind"] in {QuestionKind.SINGLE, QuestionKind.MULTI}:
            q["options"] = [line.strip() for line in d["options"].splitlines() if line.strip()]
        return q


QuestionFormSet = formset_factory(QuestionForm, extra=1, can_delete=True, max_num=30)


class PublishNoteForm(forms.Form):
    change_note = forms.CharField(label=_("改訂内容（任意）"), max_length=300, required=False)


class MixingForm(forms.Form):
    rounds = forms.IntegerField(label=_("ラウンド数"), min_value=1, max_value=10)
    tables = forms.IntegerField(label=_("テーブル数"), min_value=1, max_value=50)
    seed = forms.IntegerField(label=_("乱数シード（任意・同じ値で同じ案）"), min_value=1, required=False)
