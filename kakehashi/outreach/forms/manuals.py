"""Forms of the hearing-manual editor: a manual, a section, a question, publishing. They only collect input;
the rules live in `services/manuals.py`."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from kakehashi.reference.choices import CodeList
from kakehashi.reference.models import CodeItem

from ..choices import QuestionKind
from ..manuals import CONDITION_KINDS, iter_questions, scale_choices

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Code lists a question may take its choices from (the visit's own coded fields are asked in the report itself,
# but a manual may ask a sharper question on the same list, e.g. "the one most pressing challenge").
QUESTION_CODE_LISTS = [
    (CodeList.CHALLENGE.value, CodeList.CHALLENGE.label),
    (CodeList.BARRIER.value, CodeList.BARRIER.label),
    (CodeList.DIGITAL_STAGE.value, CodeList.DIGITAL_STAGE.label),
    (CodeList.INTEREST_LEVEL.value, CodeList.INTEREST_LEVEL.label),
    (CodeList.INTRODUCTION.value, CodeList.INTRODUCTION.label),
    (CodeList.OUTCOME.value, CodeList.OUTCOME.label),
    (CodeList.BUSINESS_FORM.value, CodeList.BUSINESS_FORM.label),
    (CodeList.EMPLOYEES.value, CodeList.EMPLOYEES.label),
    (CodeList.REVENUE.value, CodeList.REVENUE.label),
]


class ManualForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    description = forms.CharField(
        label=_("説明"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class SectionForm(forms.Form):
    title = forms.CharField(label=_("見出し"), max_length=100)
    help = forms.CharField(
        label=_("コミュニケータへの説明"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("この区分で何を聞くか、聞き方のこつを書きます。"),
    )


class PublishForm(forms.Form):
    valid_from = forms.DateField(
        label=_("適用開始日"),
        widget=_DATE,
        help_text=_("この日以降の訪問で新しい版が使われます。それより前の訪問と回答は前の版のままです。"),
        error_messages={"invalid": _("日付を正しく入力してください。")},
    )
    change_note = forms.CharField(
        label=_("改訂内容"), max_length=300, required=False, help_text=_("何を変えたかを一文で書きます。")
    )


def parse_options(text: str) -> list[dict]:
    """Lines of "value=label" (or just "label": a value is given) → [{"value", "label"}]."""
    options, used = [], set()
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines:
        value, sep, label = line.partition("=")
        if not sep:
            value, label = "", line
        options.append({"value": value.strip().lower(), "label": label.strip()})
        used.add(value.strip().lower())
    number = 1
    for option in options:
        if not option["value"]:
            while f"o{number}" in used:
                number += 1
            option["value"] = f"o{number}"
            used.add(option["value"])
    return options


def format_options(options: list[dict] | None) -> str:
    return "\n".join(f"{o['value']}={o['label']}" for o in options or [])


class QuestionForm(forms.Form):
    """One question of the draft. Only the fields of the chosen kind are shown (the form re-renders on change)."""

    section = forms.ChoiceField(label=_("区分"))
    kind = forms.ChoiceField(label=_("種類"), choices=QuestionKind.choices)
    label = forms.CharField(label=_("設問文"), max_length=200)
    help = forms.CharField(
        label=_("コミュニケータへの説明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("聞き方、判断の目安、例などを書きます。紙のマニュアルにも載ります。"),
    )
    required = forms.BooleanField(label=_("提出時に回答を必須にする"), required=False)
    key = forms.CharField(
        label=_("キー（任意）"),
        required=False,
        max_length=50,
        help_text=_("集計や出力の列名です。半角英小文字で始まり、英小文字・数字・_ が使えます。空なら自動で付けます。"),
    )
    code_list = forms.ChoiceField(
        label=_("選択肢の出どころ"),
        required=False,
        choices=[("", _("この設問の選択肢（下に入力）")), *QUESTION_CODE_LISTS],
        help_text=_("コード表を使うと、訪問報告と同じコードで集計できます。"),
    )
    options = forms.CharField(
        label=_("選択肢"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "1行に1つ。「値=表示名」の形で書きます（例: yes=はい）。値は集計に使うので変えず、表示名は変えられます。"
            "表示名だけの行には値を自動で付けます。"
        ),
    )
    scale_min = forms.IntegerField(label=_("最小"), required=False, min_value=0, max_value=10, initial=1)
    scale_max = forms.IntegerField(label=_("最大"), required=False, min_value=1, max_value=10, initial=5)
    scale_min_label = forms.CharField(label=_("最小の説明"), required=False, max_length=30)
    scale_max_label = forms.CharField(label=_("最大の説明"), required=False, max_length=30)
    number_min = forms.IntegerField(label=_("最小値"), required=False)
    number_max = forms.IntegerField(label=_("最大値"), required=False)
    number_unit = forms.CharField(label=_("単位"), required=False, max_length=10)
    show_if_question = forms.ChoiceField(
        label=_("表示条件"),
        required=False,
        help_text=_("前の設問の回答によって、この設問を出すかどうかを決めます。"),
    )
    show_if_values = forms.MultipleChoiceField(
        label=_("この回答のときに表示"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-rows"}),
    )

    KIND_FIELDS = {
        QuestionKind.SINGLE: ("code_list", "options"),
        QuestionKind.MULTI: ("code_list", "options"),
        QuestionKind.SCALE: ("scale_min", "scale_max", "scale_min_label", "scale_max_label"),
        QuestionKind.NUMBER: ("number_min", "number_max", "number_unit"),
        QuestionKind.TEXT: (),
    }

    def __init__(self, *args, draft: dict, question_key: str | None = None, published: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.question_key = question_key
        self.fields["section"].choices = [(s["key"], s.get("title") or s["key"]) for s in draft.get("sections") or []]
        if question_key is not None:
            del self.fields["key"]
        if published is not None:
            for name in ("kind", "code_list"):
                self.fields[name].disabled = True
            self.fields["kind"].help_text = _("公開済みの設問の種類とコード表は変えられません。")
        earlier = []
        for _section, question in iter_questions(draft):
            if question["key"] == question_key:
                break
            if question.get("kind") in CONDITION_KINDS:
                earlier.append(question)
        self.condition_questions = {q["key"]: q for q in earlier}
        self.fields["show_if_question"].choices = [
            ("", _("なし（常に表示）")),
            *[(q["key"], q["label"]) for q in earlier],
        ]
        chosen = self._current("show_if_question")
        self.fields["show_if_values"].choices = self._condition_choices(self.condition_questions.get(chosen))

    def _current(self, name: str):
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        return self.initial.get(name, self.fields[name].initial) or ""

    @staticmethod
    def _condition_choices(question: dict | None) -> list[tuple[str, str]]:
        if question is None:
            return []
        if question.get("kind") == QuestionKind.SCALE:
            return scale_choices(question)
        if question.get("code_list"):
            items = CodeItem.objects.filter(list=question["code_list"], active=True).order_by("order", "code")
            return [(item.code, item.label) for item in items]
        return [(str(o["value"]), o["label"]) for o in question.get("options") or []]

    @property
    def current_kind(self) -> str:
        if self.fields["kind"].disabled:
            return self.initial.get("kind") or ""
        return self._current("kind") or QuestionKind.SINGLE

    def kind_fields(self) -> list:
        """The bound fields that apply to the chosen kind, for the template."""
        names = list(self.KIND_FIELDS.get(self.current_kind, ()))
        if "options" in names and self._current("code_list"):
            names.remove("options")
        return [self[name] for name in names]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        choice_kind = kind in (QuestionKind.SINGLE, QuestionKind.MULTI)
        if choice_kind and not cleaned.get("code_list") and not parse_options(cleaned.get("options", "")):
            self.add_error("options", _("選択肢を1つ以上入力してください。"))
        if kind == QuestionKind.SCALE:
            low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
            if low is None or high is None or low >= high:
                self.add_error("scale_max", _("最大は最小より大きくしてください。"))
        if cleaned.get("show_if_question") and not cleaned.get("show_if_values"):
            self.add_error("show_if_values", _("表示する回答を1つ以上選んでください。"))
        return cleaned

    def question_values(self) -> dict:
        """The cleaned input in the definition's shape, for `manual_question_save`."""
        data = self.cleaned_data
        kind = data["kind"]
        values: dict = {
            "kind": kind,
            "label": data["label"],
            "help": data.get("help", ""),
            "required": data["required"],
        }
        if data.get("key"):
            values["key"] = data["key"]
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
            if data.get("code_list"):
                values["code_list"] = data["code_list"]
            else:
                values["options"] = parse_options(data.get("options", ""))
        elif kind == QuestionKind.SCALE:
            values["scale"] = {"min": data["scale_min"], "max": data["scale_max"]}
            for name in ("min_label", "max_label"):
                if data.get(f"scale_{name}"):
                    values["scale"][name] = data[f"scale_{name}"]
        elif kind == QuestionKind.NUMBER:
            number = {"min": data.get("number_min"), "max": data.get("number_max"), "unit": data.get("number_unit")}
            values["number"] = {k: v for k, v in number.items() if v not in (None, "")}
        if data.get("show_if_question"):
            values["show_if"] = {"question": data["show_if_question"], "in": list(data["show_if_values"])}
        return values

    @staticmethod
    def initial_for(question: dict, section_key: str) -> dict:
        """Form initial values from a stored question."""
        scale, number, show_if = (
            question.get("scale") or {},
            question.get("number") or {},
            question.get("show_if") or {},
        )
        return {
            "section": section_key,
            "kind": question.get("kind"),
            "label": question.get("label", ""),
            "help": question.get("help", ""),
            "required": bool(question.get("required")),
            "code_list": question.get("code_list", ""),
            "options": "" if question.get("code_list") else format_options(question.get("options")),
            "scale_min": scale.get("min", 1),
            "scale_max": scale.get("max", 5),
            "scale_min_label": scale.get("min_label", ""),
            "scale_max_label": scale.get("max_label", ""),
            "number_min": number.get("min"),
            "number_max": number.get("max"),
            "number_unit": number.get("unit", ""),
            "show_if_question": show_if.get("question", ""),
            "show_if_values": [str(v) for v in show_if.get("in") or []],
        }


def default_valid_from(latest_valid_from: datetime.date | None, today: datetime.date) -> datetime.date:
    return max(today, latest_valid_from) if latest_valid_from else today
