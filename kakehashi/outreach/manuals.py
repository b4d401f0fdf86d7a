"""The hearing manual at work: which version applies on a date, its questions as a form, answers and statistics.

A version's `definition` (see `HearingManualVersion`) is frozen, so everything here reads the version an answer was
given in: old answers keep their labels and their statistics when a later version renames, removes or adds
questions. Values are stored as JSON: a code/option value (single), a list of them (multi), an int (scale, number)
or a string (text). `HearingAnswer.text` holds a searchable rendering with labels, not codes.

Used by the visit screens (`visit_hearing.py`), the visit API and the manual screens.
"""

import datetime
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Avg, Count, FloatField, Max, Min, QuerySet
from django.db.models.functions import Cast
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from kakehashi.core.changelog import log_change
from kakehashi.core.choices import ChangeAction
from kakehashi.reference.choices import CodeList
from kakehashi.reference.models import CodeItem

from .choices import COUNTED_VISIT_STATUSES, QuestionKind
from .models import HearingAnswer, HearingManual, HearingManualVersion, Programme, ProgrammeMembership, Visit

FORM_PREFIX = "hearing"
TEXT_MAX_LENGTH = 2000
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTI})
# Questions another question may depend on (`show_if`): their answers are values to compare with.
CONDITION_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTI, QuestionKind.SCALE})

# --- Reading a definition ---------------------------------------------------------------------------------------


def sections_of(definition: Mapping | None) -> list[dict]:
    return list((definition or {}).get("sections") or [])


def iter_questions(definition: Mapping | None) -> Iterator[tuple[dict, dict]]:
    """(section, question) in the order they are asked."""
    for section in sections_of(definition):
        for question in section.get("questions") or []:
            yield section, question


def question_map(definition: Mapping | None) -> dict[str, dict]:
    return {question["key"]: question for _section, question in iter_questions(definition)}


def code_lists_of(definition: Mapping | None) -> set[str]:
    return {q["code_list"] for _s, q in iter_questions(definition) if q.get("code_list")}


def _code_items(lists: Iterable[str], *, active_only: bool) -> dict[str, list[CodeItem]]:
    lists = sorted(set(lists))
    if not lists:
        return {}
    queryset = CodeItem.objects.filter(list__in=lists).order_by("list", "order", "code")
    if active_only:
        queryset = queryset.filter(active=True)
    found: dict[str, list[CodeItem]] = {name: [] for name in lists}
    for item in queryset:
        found[item.list].append(item)
    return found


def scale_choices(question: Mapping) -> list[tuple[str, str]]:
    scale = question.get("scale") or {}
    low, high = int(scale.get("min", 1)), int(scale.get("max", 5))
    choices = []
    for point in range(low, high + 1):
        label = str(point)
        if point == low and scale.get("min_label"):
            label = f"{point} {scale['min_label']}"
        elif point == high and scale.get("max_label"):
            label = f"{point} {scale['max_label']}"
        choices.append((str(point), label))
    return choices


def option_labels(question: Mapping, code_items: Mapping[str, list[CodeItem]] | None = None) -> dict[str, str]:
    """value → label as this version knows it: the options frozen in the definition first, then the code list."""
    labels: dict[str, str] = {}
    if question.get("code_list") and code_items is not None:
        labels.update({item.code: item.label for item in code_items.get(question["code_list"], [])})
    labels.update({str(o["value"]): o["label"] for o in question.get("options") or []})
    if question.get("kind") == QuestionKind.SCALE:
        labels.update(dict(scale_choices(question)))
    return labels


def display_value(question: Mapping, value: Any, labels: Mapping[str, str] | None = None) -> str:
    """A human rendering of one stored value, with labels (not codes); "" for no answer."""
    if value is None or value == "" or value == []:
        return ""
    kind = question.get("kind")
    labels = labels if labels is not None else option_labels(question)
    if kind == QuestionKind.MULTI:
        return "、".join(labels.get(str(v), str(v)) for v in (value if isinstance(value, list) else [value]))
    if kind == QuestionKind.SINGLE:
        return labels.get(str(value), str(value))
    if kind == QuestionKind.SCALE:
        high = (question.get("scale") or {}).get("max", 5)
        label = labels.get(str(value), str(value))
        return f"{label}（{high}段階）" if label == str(value) else f"{label}（{high}段階中{value}）"
    if kind == QuestionKind.NUMBER:
        return f"{value}{(question.get('number') or {}).get('unit', '')}"
    return str(value)


def condition_met(show_if: Mapping | None, value: Any) -> bool:
    """Whether a question with `show_if` is asked, given the answer to the question it depends on."""
    if not show_if:
        return True
    wanted = {str(v) for v in show_if.get("in") or []}
    if value is None or value == "" or value == []:
        return False
    given = {str(v) for v in value} if isinstance(value, list) else {str(value)}
    return bool(given & wanted)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


# --- Selectors ---------------------------------------------------------------------------------------------------


def library_programme_ids(user):
    """Programmes whose library the user may read (any staff role in it); None means all (superusers)."""
    from .rules_library import LIBRARY_READERS

    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    return ProgrammeMembership.objects.filter(user=user, role__in=LIBRARY_READERS).values("programme_id")


def manuals_for(user, *, programme: Programme | None = None) -> QuerySet[HearingManual]:
    """Manuals the user may read, optionally of one programme."""
    queryset = HearingManual.objects.select_related("programme")
    ids = library_programme_ids(user)
    if ids is not None:
        queryset = queryset.filter(programme_id__in=ids)
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    return queryset


def manual_for(user, pk: int) -> HearingManual | None:
    """One manual the user may read; None when missing or out of reach."""
    return manuals_for(user).filter(pk=pk).first()


# --- Which version applies -----------------------------------------------------------------------------------------


def manual_version_for(programme: Programme | None, date: datetime.date | None) -> HearingManualVersion | None:
    """The version of the programme's manual valid on `date`: the latest published with `valid_from <= date`."""
    if programme is None or date is None:
        return None
    return (
        HearingManualVersion.objects.filter(manual__programme=programme, valid_from__lte=date)
        .select_related("manual")
        .order_by("-valid_from", "-number", "-pk")
        .first()
    )


# --- The form ------------------------------------------------------------------------------------------------------


class HearingAnswersForm(forms.Form):
    """The questions of one manual version as form fields named `hearing-<question key>`.

    Nothing is required by the fields themselves (drafts keep whatever is valid); `clean()` applies the
    version's rules: a question hidden by its `show_if` is not required and its answer is dropped, a visible
    required question left empty is an error. After `is_valid()`, `answers` maps every question key to its value
    (None when empty or hidden); questions with an invalid value are left out so a stored answer is not lost.
    Rendered by `outreach/partials/hearing_questions.html` (also what `as_div` renders).
    """

    template_name_div = "outreach/partials/hearing_questions.html"
    template_name = template_name_div
    use_required_attribute = False

    def __init__(
        self,
        version: HearingManualVersion | None = None,
        data=None,
        initial: Mapping[str, Any] | None = None,
        *,
        definition: Mapping | None = None,
        prefix: str = FORM_PREFIX,
        code_items: Mapping[str, list[CodeItem]] | None = None,
        **kwargs,
    ):
        super().__init__(data=data, initial=None, prefix=prefix, **kwargs)
        self.version = version
        self.definition = definition if definition is not None else (version.definition if version else {})
        self.code_items = (
            code_items if code_items is not None else _code_items(code_lists_of(self.definition), active_only=False)
        )
        self.answers: dict[str, Any] = {}
        given = dict(initial or {})
        for _section, question in iter_questions(self.definition):
            key = question["key"]
            self.fields[key] = self._field(question, given.get(key))
            if key in given and not _empty(given[key]):
                self.initial[key] = self._initial(question, given[key])
        questions = question_map(self.definition)
        for _section, question in iter_questions(self.definition):
            self.fields[question["key"]].condition_text = self.condition_text(question, questions)

    def condition_text(self, question: Mapping, questions: Mapping[str, dict]) -> str:
        """「会計ソフトを使っていますか」が「はい」のとき — empty for a question always asked."""
        show_if = question.get("show_if") or {}
        target = questions.get(show_if.get("question", ""))
        if target is None:
            return ""
        labels = option_labels(target, self.code_items)
        values = "・".join(f"「{labels.get(str(v), str(v))}」" for v in show_if.get("in") or [])
        return str(_("「%(question)s」が%(values)sのとき") % {"question": target.get("label", ""), "values": values})

    # Fields -------------------------------------------------------------------------------------------------------

    def _choices(self, question: Mapping, current: Any) -> list[tuple[str, str]]:
        if question.get("kind") == QuestionKind.SCALE:
            return scale_choices(question)
        if question.get("code_list"):
            items = self.code_items.get(question["code_list"], [])
            choices = [(item.code, item.label) for item in items if item.active]
        else:
            choices = [(str(o["value"]), o["label"]) for o in question.get("options") or []]
        # A stored value no longer offered (a retired code) stays selectable, so opening an old answer loses nothing.
        offered = {value for value, _label in choices}
        labels = option_labels(question, self.code_items)
        for value in current if isinstance(current, list) else ([current] if not _empty(current) else []):
            if str(value) not in offered:
                choices.append((str(value), labels.get(str(value), str(value))))
                offered.add(str(value))
        return choices

    def _field(self, question: Mapping, current: Any) -> forms.Field:
        kind = question.get("kind")
        common = {
            "label": question.get("label", question["key"]),
            "help_text": question.get("help", ""),
            "required": False,
        }
        attrs = {"data-question": question["key"]}
        if kind == QuestionKind.MULTI:
            field = forms.MultipleChoiceField(
                choices=self._choices(question, current),
                widget=forms.CheckboxSelectMultiple(attrs={**attrs, "class": "choice-rows"}),
                error_messages={"invalid_choice": _("選択肢から選んでください。")},
                **common,
            )
        elif kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
            inline = kind == QuestionKind.SCALE
            field = forms.ChoiceField(
                choices=self._choices(question, current),
                widget=forms.RadioSelect(
                    attrs={**attrs, "class": "choice-rows choice-rows--inline" if inline else "choice-rows"}
                ),
                error_messages={"invalid_choice": _("選択肢から選んでください。")},
                **common,
            )
        elif kind == QuestionKind.NUMBER:
            bounds = question.get("number") or {}
            field = forms.IntegerField(
                min_value=bounds.get("min"),
                max_value=bounds.get("max"),
                widget=forms.NumberInput(attrs={**attrs, "inputmode": "numeric"}),
                error_messages={"invalid": _("整数で入力してください。")},
                **common,
            )
        else:
            field = forms.CharField(
                max_length=TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={**attrs, "rows": 3}),
                **common,
            )
        field.required_on_submit = bool(question.get("required"))
        field.question = question
        field.kind = kind
        field.unit = (question.get("number") or {}).get("unit", "") if kind == QuestionKind.NUMBER else ""
        show_if = question.get("show_if") or {}
        field.show_if_name = self.add_prefix(show_if["question"]) if show_if.get("question") else ""
        field.show_if_values = " ".join(str(v) for v in show_if.get("in") or [])
        field.shown = True
        field.kind_label = QuestionKind(kind).label if kind in QuestionKind.values else ""
        code_list = question.get("code_list")
        field.code_list_label = CodeList(code_list).label if code_list in CodeList.values else ""
        return field

    @staticmethod
    def _initial(question: Mapping, value: Any) -> Any:
        if question.get("kind") == QuestionKind.MULTI:
            return [str(v) for v in (value if isinstance(value, list) else [value])]
        if question.get("kind") in (QuestionKind.SINGLE, QuestionKind.SCALE):
            return str(value)
        return value

    # Validation ---------------------------------------------------------------------------------------------------

    @staticmethod
    def _value(question: Mapping, cleaned: Any) -> Any:
        kind = question.get("kind")
        if _empty(cleaned):
            return None
        if kind == QuestionKind.SCALE:
            return int(cleaned)
        if kind == QuestionKind.MULTI:
            return list(cleaned)
        if kind == QuestionKind.TEXT:
            return str(cleaned).strip() or None
        return cleaned

    def clean(self):
        cleaned = super().clean()
        values: dict[str, Any] = {}
        for _section, question in iter_questions(self.definition):
            key = question["key"]
            values[key] = self._value(question, cleaned.get(key)) if key not in self._errors else None
        answers: dict[str, Any] = {}
        for _section, question in iter_questions(self.definition):
            key = question["key"]
            show_if = question.get("show_if")
            if show_if and not condition_met(show_if, values.get(show_if.get("question"))):
                values[key] = None  # hidden: not asked, its answer is dropped
                self._errors.pop(key, None)
                answers[key] = None
                continue
            if key in self._errors:
                continue
            if question.get("required") and _empty(values[key]):
                self.add_error(key, _("この設問に回答してください。"))
            answers[key] = values[key]
        self.answers = answers
        return cleaned

    # Rendering helpers ---------------------------------------------------------------------------------------------

    def _shown(self) -> None:
        """Mark each field shown or hidden by its condition, from the posted data or the initial answers."""
        values: dict[str, Any] = {}
        for _section, question in iter_questions(self.definition):
            key = question["key"]
            field = self.fields[key]
            show_if = question.get("show_if")
            field.shown = not show_if or condition_met(show_if, values.get(show_if.get("question")))
            value = self[key].value() if field.shown else None
            values[key] = [str(v) for v in value] if isinstance(value, list | tuple) else value

    def sections(self) -> list[dict]:
        """[{"section": …, "fields": [bound field with `.question`, …]}] in order, for the templates."""
        self._shown()
        rows = []
        for section in sections_of(self.definition):
            fields = [self[q["key"]] for q in section.get("questions") or []]
            rows.append({"section": section, "fields": fields})
        return rows

    def get_context(self):
        context = super().get_context()
        context["sections"] = self.sections()
        context["version"] = self.version
        return context


def _stored_answers(visit: Visit | None) -> dict[str, Any]:
    if visit is None or visit.pk is None:
        return {}
    return dict(visit.answers.values_list("question_key", "value"))


def hearing_form_fields(version: HearingManualVersion, visit: Visit | None = None, data=None) -> HearingAnswersForm:
    """The version's questions as a form, filled with the visit's stored answers; bound when `data` is given."""
    return HearingAnswersForm(version, data=data, initial=_stored_answers(visit))


def _as_form_data(version: HearingManualVersion, data: Mapping[str, Any]) -> tuple[QueryDict, dict[str, list[str]]]:
    """Turn an API dict (question key → JSON value) into form data; unknown keys are errors."""
    questions = question_map(version.definition)
    query = QueryDict(mutable=True)
    errors: dict[str, list[str]] = {}
    for key, value in data.items():
        if key not in questions:
            errors[key] = [str(_("「%(key)s」はこの版にない設問です。") % {"key": key})]
            continue
        if _empty(value):
            continue
        if questions[key].get("kind") == QuestionKind.MULTI:
            query.setlist(f"{FORM_PREFIX}-{key}", [str(v) for v in (value if isinstance(value, list) else [value])])
        elif isinstance(value, list | dict):
            errors[key] = [str(_("値の形式が正しくありません。"))]
        else:
            query[f"{FORM_PREFIX}-{key}"] = str(value)
    return query, errors


def validate_answers(version: HearingManualVersion, data) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Check answers against a version. `data` is posted form data (`hearing-<key>` fields) or a plain dict
    question key → value (the API).

    Returns (answers, errors): answers maps each question key to its value, None when empty or hidden by its
    condition (drop it); a key with an invalid value is left out. errors maps question keys to messages that name
    the question.
    """
    extra: dict[str, list[str]] = {}
    if not hasattr(data, "getlist"):
        data, extra = _as_form_data(version, dict(data or {}))
    form = HearingAnswersForm(version, data=data)
    form.is_valid()
    questions = question_map(version.definition)
    errors = {
        key: [f"{questions[key].get('label', key)}：{message}" for message in messages]
        for key, messages in form.errors.items()
        if key in questions
    }
    errors.update(extra)
    return form.answers, errors


# --- Saving and reading answers -----------------------------------------------------------------------------------


def _check_value(question: Mapping, value: Any, code_items: Mapping[str, list[CodeItem]]) -> Any:
    """The value in its stored form, or ValidationError."""
    kind = question.get("kind")
    label = question.get("label", question["key"])
    if kind in CHOICE_KINDS:
        known = set(option_labels(question, code_items))
        values = value if isinstance(value, list) else [value]
        if kind == QuestionKind.SINGLE and isinstance(value, list):
            raise ValidationError({question["key"]: _("%(label)s：選択肢は1つです。") % {"label": label}})
        if any(str(v) not in known for v in values):
            raise ValidationError({question["key"]: _("%(label)s：選択肢から選んでください。") % {"label": label}})
        return [str(v) for v in values] if kind == QuestionKind.MULTI else str(value)
    if kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError({question["key"]: _("%(label)s：整数で入力してください。") % {"label": label}})
        if kind == QuestionKind.SCALE and str(value) not in dict(scale_choices(question)):
            raise ValidationError({question["key"]: _("%(label)s：範囲外の値です。") % {"label": label}})
        return value
    return str(value)[:TEXT_MAX_LENGTH]


@transaction.atomic
def answers_save(
    *, actor, visit: Visit, version: HearingManualVersion, answers: Mapping[str, Any]
) -> list[HearingAnswer]:
    """Store a visit's answers in `version`: upsert the given ones, delete those given as empty (None).

    Answers the visit holds in another version and that are not given again are removed: after this, every answer
    of the visit belongs to `version`. Each row keeps `text`, a searchable rendering with labels. One change-log
    entry on the visit records what changed.
    """
    if version.manual.programme_id != visit.programme_id:
        raise ValidationError(_("この事業のヒアリングマニュアルではありません。"))
    questions = question_map(version.definition)
    unknown = sorted(set(answers) - set(questions))
    if unknown:
        raise ValidationError(_("この版にない設問です: %(keys)s") % {"keys": ", ".join(unknown)})
    code_items = _code_items(code_lists_of(version.definition), active_only=False)
    existing = {a.question_key: a for a in HearingAnswer.objects.select_for_update().filter(visit=visit)}
    before = {f"answer:{k}": [a.version_id, a.value] for k, a in existing.items()}
    saved: list[HearingAnswer] = []
    for key, raw in answers.items():
        current = existing.pop(key, None)
        if _empty(raw):
            if current is not None:
                current.delete()
            continue
        question = questions[key]
        value = _check_value(question, raw, code_items)
        text = display_value(question, value, option_labels(question, code_items))
        if current is None:
            current = HearingAnswer(visit=visit, version=version, question_key=key)
        elif current.version_id == version.pk and current.value == value and current.text == text:
            saved.append(current)
            continue
        current.version, current.value, current.text = version, value, text
        current.full_clean(exclude=["visit", "version"])
        current.save()
        saved.append(current)
    for answer in existing.values():
        if answer.version_id != version.pk:
            answer.delete()
        else:
            saved.append(answer)
    after = {f"answer:{a.question_key}": [a.version_id, a.value] for a in saved}
    log_change(
        actor=actor, instance=visit, action=ChangeAction.UPDATE, before=before, after=after, note="ヒアリング回答"
    )
    return saved


class AnswerRow(NamedTuple):
    """One stored answer read in the version it was given in."""

    question: dict
    value: Any
    display: str


def answers_for(visit: Visit) -> list[AnswerRow]:
    """The visit's answers in question order, each labelled by the version it was given in."""
    rows = list(HearingAnswer.objects.filter(visit=visit).select_related("version"))
    if not rows:
        return []
    versions = {a.version_id: a.version for a in rows}
    lists: set[str] = set()
    for version in versions.values():
        lists |= code_lists_of(version.definition)
    code_items = _code_items(lists, active_only=False)
    order: dict[tuple[int, str], int] = {}
    maps: dict[int, dict[str, dict]] = {}
    for version_id, version in versions.items():
        maps[version_id] = question_map(version.definition)
        for index, (_s, question) in enumerate(iter_questions(version.definition)):
            order[(version_id, question["key"])] = index
    result = []
    for answer in sorted(rows, key=lambda a: (a.version.number, order.get((a.version_id, a.question_key), 10**6))):
        question = maps[answer.version_id].get(answer.question_key) or {"key": answer.question_key, "kind": "text"}
        question = {**question, "label": question.get("label", answer.question_key)}
        display = display_value(question, answer.value, option_labels(question, code_items)) or answer.text
        result.append(AnswerRow(question, answer.value, display))
    return result


# --- Statistics ----------------------------------------------------------------------------------------------------


@dataclass
class QuestionStats:
    """What the answers to one question of one version add up to."""

    section: dict
    question: dict
    answered: int = 0
    options: list[tuple[str, str, int]] = field(default_factory=list)  # (value, label, count)
    mean: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    distribution: list[tuple[str, int]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.question.get("kind", "")

    @property
    def top(self) -> int:
        counts = [c for _v, _l, c in self.options] + [c for _v, c in self.distribution]
        return max(counts, default=0)


@dataclass
class VersionStats:
    version: HearingManualVersion
    visits: int
    questions: list[QuestionStats]


NUMBER_DISTRIBUTION_LIMIT = 15


def _multi_counts(version: HearingManualVersion, keys: list[str]) -> dict[tuple[str, str], int]:
    """(question key, option value) → number of counted answers that include it, computed in the database."""
    if not keys:
        return {}
    placeholders = ", ".join(["%s"] * len(keys))
    statuses = [str(s) for s in COUNTED_VISIT_STATUSES]
    status_placeholders = ", ".join(["%s"] * len(statuses))
    answer_table, visit_table = HearingAnswer._meta.db_table, Visit._meta.db_table
    if connection.vendor == "postgresql":
        element_from, element = "jsonb_array_elements_text(a.value::jsonb) AS e(v)", "e.v"
    else:
        element_from, element = "json_each(a.value) AS e", "e.value"
    sql = (
        f"SELECT a.question_key, {element}, COUNT(*) FROM {answer_table} a "  # noqa: S608 — fixed names only
        f"JOIN {visit_table} v ON v.id = a.visit_id, {element_from} "
        f"WHERE a.version_id = %s AND a.question_key IN ({placeholders}) AND v.status IN ({status_placeholders}) "
        f"GROUP BY a.question_key, {element}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [version.pk, *keys, *statuses])
        return {(key, str(value)): count for key, value, count in cursor.fetchall()}


def _option_values(question: Mapping, code_items: Mapping[str, list[CodeItem]], seen: list[str]) -> list[str]:
    """The options a version offered (its frozen snapshot, else the active codes), then any other value answered."""
    if question.get("options"):
        base = [str(o["value"]) for o in question["options"]]
    elif question.get("code_list"):
        base = [item.code for item in code_items.get(question["code_list"], []) if item.active]
    else:
        base = []
    return base + [v for v in seen if v not in base]


def version_statistics(version: HearingManualVersion) -> VersionStats:
    """Per question of `version`: answers per option, mean and distribution, count of text answers.

    Counts only answers given in this version, at submitted or accepted visits; computed in the database.
    """
    answers = HearingAnswer.objects.filter(version=version, visit__status__in=COUNTED_VISIT_STATUSES)
    visits = answers.values("visit_id").distinct().count()
    answered = dict(answers.values_list("question_key").annotate(n=Count("id")).order_by())
    questions = list(iter_questions(version.definition))
    kinds = {q["key"]: q.get("kind") for _s, q in questions}
    value_kinds = (QuestionKind.SINGLE, QuestionKind.SCALE, QuestionKind.NUMBER)
    by_value: dict[tuple[str, str], int] = {}
    rows = (
        answers.filter(question_key__in=[k for k, kind in kinds.items() if kind in value_kinds])
        .values_list("question_key", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    for key, value, count in rows:
        by_value[(key, str(value))] = by_value.get((key, str(value)), 0) + count
    multi = _multi_counts(version, [k for k, kind in kinds.items() if kind == QuestionKind.MULTI])
    as_float = Cast("value", FloatField())
    numeric = {
        row["question_key"]: row
        for row in answers.filter(
            question_key__in=[k for k, kind in kinds.items() if kind in (QuestionKind.SCALE, QuestionKind.NUMBER)]
        )
        .values("question_key")
        .annotate(mean=Avg(as_float), low=Min(as_float), high=Max(as_float))
        .order_by()
    }
    code_items = _code_items(code_lists_of(version.definition), active_only=False)
    result = []
    for section, question in questions:
        key, kind = question["key"], question.get("kind")
        stats = QuestionStats(section=section, question=question, answered=answered.get(key, 0))
        labels = option_labels(question, code_items)
        if kind in CHOICE_KINDS:
            counts = multi if kind == QuestionKind.MULTI else by_value
            seen = [v for (k, v) in counts if k == key]
            stats.options = [
                (v, labels.get(v, v), counts.get((key, v), 0)) for v in _option_values(question, code_items, seen)
            ]
        elif kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
            row = numeric.get(key) or {}
            stats.mean, stats.minimum, stats.maximum = row.get("mean"), row.get("low"), row.get("high")
            if kind == QuestionKind.SCALE:
                stats.distribution = [(label, by_value.get((key, v), 0)) for v, label in scale_choices(question)]
            else:
                points = sorted(((v, c) for (k, v), c in by_value.items() if k == key), key=lambda vc: float(vc[0]))
                if len(points) <= NUMBER_DISTRIBUTION_LIMIT:
                    stats.distribution = points
        result.append(stats)
    return VersionStats(version=version, visits=visits, questions=result)
