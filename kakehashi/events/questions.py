"""Questionnaire definitions (registration questions and satisfaction surveys): checking, answering, figures.

A definition is {"questions": [{"key", "kind", "label", "required", "options": [str, …]}]}. Versions are frozen
(see models.QuestionnaireVersion); everything here reads a version's own definition, so a later edit never
changes how old answers read or count.
"""

import re
from collections import Counter
from statistics import mean
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import SATISFACTION_KEY, SCALE_MAX, SCALE_MIN, QuestionKind

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_QUESTIONS = 30
MAX_TEXT = 2000

SCALE_LABELS = {
    1: gettext_lazy("1 不満"),
    2: gettext_lazy("2 やや不満"),
    3: gettext_lazy("3 ふつう"),
    4: gettext_lazy("4 やや満足"),
    5: gettext_lazy("5 満足"),
}


def default_survey() -> dict:
    """The standard satisfaction survey every new event starts with (version 1)."""
    return {
        "questions": [
            {"key": SATISFACTION_KEY, "kind": "scale", "label": "今回のイベントの満足度", "required": True},
            {"key": "usefulness", "kind": "scale", "label": "自社の業務に役立つ内容でしたか", "required": True},
            {
                "key": "next_step",
                "kind": "multi",
                "label": "今後関心のあること",
                "required": False,
                "options": ["個別相談", "次回のセミナー", "IT企業との面談", "補助金の情報", "メールマガジン"],
            },
            {"key": "comment", "kind": "text", "label": "ご意見・ご感想", "required": False},
        ]
    }


def default_registration_questions() -> dict:
    return {
        "questions": [
            {"key": "interest", "kind": "text", "label": "当日聞きたいこと・自社の課題", "required": False},
        ]
    }


def definition_problems(definition: Any) -> list[str]:
    """What is wrong with a definition (Japanese messages); empty when it may be published."""
    if not isinstance(definition, dict) or not isinstance(definition.get("questions"), list):
        return [_("設問の形式が正しくありません。")]
    questions = definition["questions"]
    problems = []
    if len(questions) > MAX_QUESTIONS:
        problems.append(_("設問は%(n)d問までです。") % {"n": MAX_QUESTIONS})
    seen = set()
    for i, q in enumerate(questions, start=1):
        key = q.get("key", "")
        if not KEY_RE.match(str(key)):
            problems.append(_("%(i)d問目のキーは半角英小文字で始まる英数字・_で指定してください。") % {"i": i})
        if key in seen:
            problems.append(_("キー「%(key)s」が重複しています。") % {"key": key})
        seen.add(key)
        if q.get("kind") not in QuestionKind.values:
            problems.append(_("%(i)d問目の種類が正しくありません。") % {"i": i})
        if not str(q.get("label", "")).strip():
            problems.append(_("%(i)d問目の質問文を入力してください。") % {"i": i})
        if q.get("kind") in {QuestionKind.SINGLE, QuestionKind.MULTI}:
            options = q.get("options") or []
            if len(options) < 2 or len({str(o) for o in options}) != len(options):
                problems.append(_("%(i)d問目の選択肢を重複なく2つ以上入力してください。") % {"i": i})
    return problems


def clean_definition(definition: dict, *, previous: dict | None = None) -> dict:
    """A normalised copy of `definition`. A key used in `previous` keeps its kind (a new kind needs a new key)."""
    problems = definition_problems(definition)
    kinds = {q["key"]: q["kind"] for q in (previous or {}).get("questions", [])}
    for q in definition.get("questions", []) if isinstance(definition, dict) else []:
        if q.get("key") in kinds and kinds[q["key"]] != q.get("kind"):
            problems.append(
                _("キー「%(key)s」の種類は変更できません。別の質問として新しいキーで追加してください。")
                % {"key": q["key"]}
            )
    if problems:
        raise ValidationError(problems)
    cleaned = []
    for q in definition["questions"]:
        item = {
            "key": q["key"],
            "kind": q["kind"],
            "label": str(q["label"]).strip(),
            "required": bool(q.get("required")),
        }
        if q["kind"] in {QuestionKind.SINGLE, QuestionKind.MULTI}:
            item["options"] = [str(o).strip() for o in q["options"]]
        cleaned.append(item)
    return {"questions": cleaned}


def answers_form_class(questions: list[dict]) -> type[forms.Form]:
    """A Django form for one version's questions (field names are the question keys)."""
    fields: dict[str, forms.Field] = {}
    for q in questions:
        label, required = q["label"], bool(q.get("required"))
        kind = q["kind"]
        if kind == QuestionKind.SCALE:
            fields[q["key"]] = forms.TypedChoiceField(
                label=label,
                required=required,
                coerce=int,
                empty_value=None,
                choices=[(v, SCALE_LABELS[v]) for v in range(SCALE_MIN, SCALE_MAX + 1)],
                widget=forms.RadioSelect(attrs={"class": "scale"}),
            )
        elif kind == QuestionKind.SINGLE:
            fields[q["key"]] = forms.ChoiceField(
                label=label, required=required, choices=[(o, o) for o in q["options"]], widget=forms.RadioSelect
            )
        elif kind == QuestionKind.MULTI:
            fields[q["key"]] = forms.MultipleChoiceField(
                label=label,
                required=required,
                choices=[(o, o) for o in q["options"]],
                widget=forms.CheckboxSelectMultiple,
            )
        else:
            fields[q["key"]] = forms.CharField(
                label=label, required=required, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
            )
    return type("AnswersForm", (forms.Form,), fields)


def clean_answers(questions: list[dict], given: dict) -> dict:
    """Answers checked against one version: unknown keys dropped, required ones present, values in range."""
    form = answers_form_class(questions)(data=_as_form_data(questions, given))
    if not form.is_valid():
        raise ValidationError(dict(form.errors.items()))
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "", [])}


def _as_form_data(questions: list[dict], given: dict):
    from django.utils.datastructures import MultiValueDict

    data = MultiValueDict()
    for q in questions:
        value = given.get(q["key"])
        if value is None:
            continue
        data.setlist(q["key"], [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)])
    return data


def statistics(questions: list[dict], answer_sets: list[dict]) -> list[dict]:
    """Per question of one version: answer count, mean and distribution (scale), counts (choices), comments (text)."""
    result = []
    for q in questions:
        key, kind = q["key"], q["kind"]
        values = [a[key] for a in answer_sets if a.get(key) not in (None, "", [])]
        row: dict[str, Any] = {"key": key, "kind": kind, "label": q["label"], "answered": len(values)}
        if kind == QuestionKind.SCALE:
            numbers = [int(v) for v in values]
            counts = Counter(numbers)
            row["mean"] = round(mean(numbers), 2) if numbers else None
            row["distribution"] = [
                {
                    "value": v,
                    "label": str(SCALE_LABELS[v]),
                    "count": counts.get(v, 0),
                    "percent": _pct(counts.get(v, 0), len(numbers)),
                }
                for v in range(SCALE_MIN, SCALE_MAX + 1)
            ]
        elif kind in {QuestionKind.SINGLE, QuestionKind.MULTI}:
            counts = Counter(v for value in values for v in (value if isinstance(value, list) else [value]))
            row["distribution"] = [
                {"value": o, "label": o, "count": counts.get(o, 0), "percent": _pct(counts.get(o, 0), len(values))}
                for o in q.get("options", [])
            ]
        else:
            row["comments"] = [str(v) for v in values]
        result.append(row)
    return result


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def display_value(question: dict, value: Any) -> Any:
    """An answer as a spreadsheet cell: numbers stay numbers, several choices are joined."""
    if value in (None, "", []):
        return ""
    if question["kind"] == QuestionKind.SCALE and isinstance(value, int):
        return value
    if question["kind"] == QuestionKind.MULTI and isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
