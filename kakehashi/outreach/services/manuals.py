"""Writes for hearing manuals: the draft of the next version, edited piece by piece, and publishing it.

The draft (`HearingManual.draft_definition`) has the shape of a version's definition plus "retired_keys". Keys of
sections and questions are stable: a key is given once and never again within a manual, even after its question is
removed (it is retired). Once a key has been published, its question's kind and code list are fixed (statistics and
exports compare answers by key across versions); labels, help, options and conditions may change.

Publishing freezes the draft into a new `HearingManualVersion`. Nothing here (or anywhere) updates a version.
"""

import copy
import datetime
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.core.changelog import log_change, snapshot
from kakehashi.core.choices import ChangeAction
from kakehashi.reference.choices import CodeList
from kakehashi.reference.models import CodeItem

from ..choices import QuestionKind
from ..manuals import CONDITION_KINDS, iter_questions, scale_choices, sections_of
from ..models import HearingManual, HearingManualVersion, Programme

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
OPTION_PATTERN = re.compile(r"^[a-z0-9_]{1,30}$")
MAX_QUESTIONS = 200
QUESTION_FIELDS = ("key", "kind", "label", "help", "required", "code_list", "options", "scale", "number", "show_if")


def _require(actor, programme: Programme) -> None:
    """Views and the API pass the signed-in user; commands and the demo pass None (no user to check)."""
    if actor is not None and not actor.has_perm("outreach.change_library", programme):
        raise PermissionDenied("outreach.change_library")


def _locked(manual: HearingManual) -> HearingManual:
    return HearingManual.objects.select_for_update().get(pk=manual.pk)


# --- Keys ----------------------------------------------------------------------------------------------------------


def used_keys(manual: HearingManual, draft: Mapping | None = None) -> set[str]:
    """Every section and question key the manual has ever had (published, in the draft, or retired)."""
    draft = draft if draft is not None else manual.draft_definition or {}
    keys = set(draft.get("retired_keys") or [])
    definitions = [draft, *manual.versions.values_list("definition", flat=True)]
    for definition in definitions:
        for section in sections_of(definition):
            keys.add(section.get("key", ""))
            keys.update(q.get("key", "") for q in section.get("questions") or [])
    keys.discard("")
    return keys


def published_questions(manual: HearingManual) -> dict[str, dict]:
    """key → the question as last published (for the rules about fixed kinds and code lists)."""
    found: dict[str, dict] = {}
    for definition in manual.versions.order_by("number").values_list("definition", flat=True):
        for _section, question in iter_questions(definition):
            found[question["key"]] = question
    return found


def _new_key(manual: HearingManual, draft: Mapping, prefix: str) -> str:
    taken = used_keys(manual, draft)
    number = 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


# --- Checking a definition ------------------------------------------------------------------------------------------


def definition_problems(definition: Mapping) -> list[str]:
    """What is wrong with a definition (empty when it can be published or saved as a draft)."""
    problems: list[str] = []
    seen: set[str] = set()
    earlier: dict[str, dict] = {}
    codes = {c: set() for c in CodeList.values}
    for list_name, code in CodeItem.objects.values_list("list", "code"):
        codes.setdefault(list_name, set()).add(code)
    count = 0
    for section in sections_of(definition):
        key = section.get("key", "")
        if not KEY_PATTERN.match(key) or key in seen:
            problems.append(_("区分のキー「%(key)s」が不正か重複しています。") % {"key": key})
        seen.add(key)
        if not str(section.get("title", "")).strip():
            problems.append(_("区分「%(key)s」に見出しがありません。") % {"key": key})
        for question in section.get("questions") or []:
            count += 1
            problems += _question_problems(question, seen, earlier, codes)
            seen.add(question.get("key", ""))
            earlier[question.get("key", "")] = question
    if count > MAX_QUESTIONS:
        problems.append(_("設問は%(n)d問までです。") % {"n": MAX_QUESTIONS})
    return problems


def _question_problems(question: Mapping, seen: set[str], earlier: Mapping[str, dict], codes) -> list[str]:
    problems = []
    key = question.get("key", "")
    name = question.get("label") or key
    if not KEY_PATTERN.match(key) or key in seen:
        problems.append(_("設問のキー「%(key)s」が不正か重複しています。") % {"key": key})
    if not str(question.get("label", "")).strip():
        problems.append(_("設問「%(key)s」に設問文がありません。") % {"key": key})
    kind = question.get("kind")
    if kind not in QuestionKind.values:
        problems.append(_("「%(name)s」の種類が不正です。") % {"name": name})
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
        code_list, options = question.get("code_list"), question.get("options") or []
        if code_list:
            if code_list not in CodeList.values:
                problems.append(_("「%(name)s」のコード表が不正です。") % {"name": name})
            elif any(str(o.get("value")) not in codes.get(code_list, set()) for o in options):
                problems.append(_("「%(name)s」の選択肢にコード表にないコードがあります。") % {"name": name})
        elif not options:
            problems.append(_("「%(name)s」に選択肢がありません。") % {"name": name})
        values = [str(o.get("value", "")) for o in options]
        if any(not OPTION_PATTERN.match(v) for v in values) or len(set(values)) != len(values):
            problems.append(_("「%(name)s」の選択肢の値が不正か重複しています。") % {"name": name})
        if any(not str(o.get("label", "")).strip() for o in options):
            problems.append(_("「%(name)s」に表示名のない選択肢があります。") % {"name": name})
    if kind == QuestionKind.SCALE:
        scale = question.get("scale") or {}
        low, high = scale.get("min"), scale.get("max")
        if not isinstance(low, int) or not isinstance(high, int) or not (0 <= low < high <= 10):
            problems.append(_("「%(name)s」の段階は 0〜10 の範囲で、最小 < 最大にしてください。") % {"name": name})
    if kind == QuestionKind.NUMBER:
        bounds = question.get("number") or {}
        low, high = bounds.get("min"), bounds.get("max")
        if low is not None and high is not None and low > high:
            problems.append(_("「%(name)s」の最小値が最大値より大きくなっています。") % {"name": name})
    show_if = question.get("show_if")
    if show_if:
        target = earlier.get(show_if.get("question", ""))
        if target is None:
            problems.append(_("「%(name)s」の表示条件は、前にある設問を指定してください。") % {"name": name})
        elif target.get("kind") not in CONDITION_KINDS:
            problems.append(_("「%(name)s」の表示条件には選択式か段階評価の設問を使ってください。") % {"name": name})
        elif not show_if.get("in"):
            problems.append(_("「%(name)s」の表示条件の値を選んでください。") % {"name": name})
        else:
            allowed = _condition_values(target, codes)
            if allowed is not None and not {str(v) for v in show_if["in"]} <= allowed:
                problems.append(_("「%(name)s」の表示条件に、条件の設問にない値があります。") % {"name": name})
    return problems


def _condition_values(target: Mapping, codes) -> set[str] | None:
    if target.get("kind") == QuestionKind.SCALE:
        return {v for v, _label in scale_choices(target)}
    if target.get("code_list"):
        return codes.get(target["code_list"], set())
    return {str(o.get("value")) for o in target.get("options") or []}


def _raise_if(definition: Mapping) -> None:
    problems = definition_problems(definition)
    if problems:
        raise ValidationError(problems)


# --- Manuals -------------------------------------------------------------------------------------------------------


def _empty_draft() -> dict:
    return {"sections": [], "retired_keys": []}


@transaction.atomic
def manual_create(
    *, actor, programme: Programme, name: str, description: str = "", definition: Mapping | None = None
) -> HearingManual:
    """A new manual for `programme`; its draft starts from `definition` (or empty)."""
    _require(actor, programme)
    draft = copy.deepcopy(dict(definition)) if definition else _empty_draft()
    draft.setdefault("retired_keys", [])
    _raise_if(draft)
    manual = HearingManual(
        programme=programme,
        name=name.strip(),
        description=description.strip(),
        draft_definition=draft,
        draft_updated_at=timezone.now(),
        draft_updated_by=actor if getattr(actor, "pk", None) else None,
    )
    manual.full_clean()
    manual.save()
    log_change(actor=actor, instance=manual, action=ChangeAction.CREATE, after=snapshot(manual, ["programme", "name"]))
    return manual


@transaction.atomic
def manual_update(*, actor, manual: HearingManual, name: str, description: str = "") -> HearingManual:
    """Rename or describe a manual (its versions are untouched)."""
    _require(actor, manual.programme)
    manual = _locked(manual)
    before = snapshot(manual, ["name", "description"])
    manual.name, manual.description = name.strip(), description.strip()
    manual.full_clean()
    manual.save()
    log_change(
        actor=actor,
        instance=manual,
        action=ChangeAction.UPDATE,
        before=before,
        after=snapshot(manual, ["name", "description"]),
    )
    return manual


def _save_draft(*, actor, manual: HearingManual, draft: dict, before: dict, note: str) -> HearingManual:
    _raise_if(draft)
    manual.draft_definition = draft
    manual.draft_updated_at = timezone.now()
    manual.draft_updated_by = actor if getattr(actor, "pk", None) else None
    manual.save(update_fields=["draft_definition", "draft_updated_at", "draft_updated_by", "updated_at"])
    log_change(
        actor=actor,
        instance=manual,
        action=ChangeAction.UPDATE,
        before={"draft_definition": before},
        after={"draft_definition": draft},
        note=note,
    )
    return manual


def _draft(manual: HearingManual) -> dict:
    draft = copy.deepcopy(manual.draft_definition or {}) or _empty_draft()
    draft.setdefault("sections", [])
    draft.setdefault("retired_keys", [])
    return draft


def _find_section(draft: dict, section_key: str) -> dict:
    for section in draft["sections"]:
        if section.get("key") == section_key:
            return section
    raise ValidationError(_("区分が見つかりません。"))


def _find_question(draft: dict, question_key: str) -> tuple[dict, dict]:
    for section in draft["sections"]:
        for question in section.get("questions") or []:
            if question.get("key") == question_key:
                return section, question
    raise ValidationError(_("設問が見つかりません。"))


def _dependants(draft: dict, keys: set[str]) -> list[str]:
    return [
        q.get("label") or q["key"]
        for _s, q in iter_questions(draft)
        if (q.get("show_if") or {}).get("question") in keys and q["key"] not in keys
    ]


# --- Sections ------------------------------------------------------------------------------------------------------


@transaction.atomic
def manual_section_save(
    *, actor, manual: HearingManual, section_key: str | None = None, title: str, help: str = ""
) -> dict:
    """Add a section to the draft (no `section_key`) or change its title and help. Returns the section."""
    _require(actor, manual.programme)
    manual = _locked(manual)
    draft, before = _draft(manual), copy.deepcopy(manual.draft_definition)
    if section_key is None:
        section = {"key": _new_key(manual, draft, "s"), "title": title.strip(), "help": help.strip(), "questions": []}
        draft["sections"].append(section)
        note = _("区分を追加: %(title)s") % {"title": section["title"]}
    else:
        section = _find_section(draft, section_key)
        section["title"], section["help"] = title.strip(), help.strip()
        note = _("区分を変更: %(title)s") % {"title": section["title"]}
    _save_draft(actor=actor, manual=manual, draft=draft, before=before, note=note)
    return section


@transaction.atomic
def manual_section_remove(*, actor, manual: HearingManual, section_key: str) -> None:
    """Remove a section and its questions from the draft; their keys are retired."""
    _require(actor, manual.programme)
    manual = _locked(manual)
    draft, before = _draft(manual), copy.deepcopy(manual.draft_definition)
    section = _find_section(draft, section_key)
    keys = {section["key"], *(q["key"] for q in section.get("questions") or [])}
    blocking = _dependants(draft, keys)
    if blocking:
        raise ValidationError(
            _("この区分の設問を表示条件にしている設問があります: %(names)s") % {"names": "、".join(blocking)}
        )
    draft["sections"].remove(section)
    draft["retired_keys"] = sorted(set(draft["retired_keys"]) | keys)
    _save_draft(
        actor=actor,
        manual=manual,
        draft=draft,
        before=before,
        note=_("区分を削除: %(title)s") % {"title": section.get("title", "")},
    )


def _move(items: list, item: Any, direction: int) -> None:
    index = items.index(item)
    target = index + (1 if direction > 0 else -1)
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]


@transaction.atomic
def manual_section_move(*, actor, manual: HearingManual, section_key: str, direction: int) -> None:
    """Move a section one place up (direction < 0) or down (> 0)."""
    _require(actor, manual.programme)
    manual = _locked(manual)
    draft, before = _draft(manual), copy.deepcopy(manual.draft_definition)
    section = _find_section(draft, section_key)
    _move(draft["sections"], section, direction)
    _save_draft(
        actor=actor,
        manual=manual,
        draft=draft,
        before=before,
        note=_("区分を移動: %(title)s") % {"title": section.get("title", "")},
    )


# --- Questions -----------------------------------------------------------------------------------------------------


def _clean_question(values: Mapping[str, Any]) -> dict:
    """Keep the known keys of a question with a value; drop what does not apply to its kind."""
    question = {k: values[k] for k in QUESTION_FIELDS if k in values and values[k] not in (None, "", [], {})}
    kind = question.get("kind")
    if kind not in (QuestionKind.SINGLE, QuestionKind.MULTI):
        question.pop("code_list", None)
        question.pop("options", None)
    if kind != QuestionKind.SCALE:
        question.pop("scale", None)
    if kind != QuestionKind.NUMBER:
        question.pop("number", None)
    if question.get("code_list"):
        question.pop("options", None)  # a code list's labels are frozen when the version is published
    question["required"] = bool(values.get("required"))
    question["label"] = str(question.get("label", "")).strip()
    question["help"] = str(values.get("help") or "").strip()
    return question


@transaction.atomic
def manual_question_save(
    *,
    actor,
    manual: HearingManual,
    section_key: str,
    question_key: str | None = None,
    values: Mapping[str, Any],
) -> dict:
    """Add a question at the end of a section of the draft (no `question_key`) or change one.

    `values` holds the question's fields (see the definition shape); a new question may bring its own `key`
    (otherwise one is given). A question moved to another section goes to its end. Returns the question.
    """
    _require(actor, manual.programme)
    manual = _locked(manual)
    draft, before = _draft(manual), copy.deepcopy(manual.draft_definition)
    target_section = _find_section(draft, section_key)
    if question_key is None:
        key = str(values.get("key") or "").strip() or _new_key(manual, draft, "q")
        if key in used_keys(manual, draft):
            raise ValidationError({"key": _("このキーは使われたことがあります。別のキーにしてください。")})
        if not KEY_PATTERN.match(key):
            raise ValidationError({"key": _("キーは半角英小文字で始まり、英小文字・数字・_ の50字以内です。")})
        question = _clean_question({**values, "key": key})
        target_section.setdefault("questions", []).append(question)
        note = _("設問を追加: %(label)s") % {"label": question["label"]}
    else:
        section, current = _find_question(draft, question_key)
        question = _clean_question({**values, "key": question_key})
        published = published_questions(manual).get(question_key)
        if published is not None:
            if published.get("kind") != question.get("kind"):
                raise ValidationError(
                    {"kind": _("公開済みの設問の種類は変えられません。新しい設問を追加してください。")}
                )
            if published.get("code_list") != question.get("code_list"):
                raise ValidationError(
                    {"code_list": _("公開済みの設問のコード表は変えられません。新しい設問を追加してください。")}
                )
        if section is target_section:
            section["questions"][section["questions"].index(current)] = question
        else:
            section["questions"].remove(current)
            target_section.setdefault("questions", []).append(question)
        note = _("設問を変更: %(label)s") % {"label": question["label"]}
    _save_draft(actor=actor, manual=manual, draft=draft, before=before, note=note)
    return question


@transaction.atomic
def manual_question_remove(*, actor, manual: HearingManual, question_key: str) -> None:
    """Remove a question from the draft; its key is retired and never given again in this manual."""
    _require(actor, manual.programme)
    manual = _locked(manual)
    draft, before = _draft(manual), copy.deepcopy(manual.draft_definition)
    section, question = _find_question(draft, question_key)
    blocking = _dependants(draft, {question_key})
    if blocking:
        raise ValidationError(
            _("この設問を表示条件にしている設問があります: %(names)s") % {"names": "、".join(blocking)}
        )
    section["questions"].remove(question)
    draft["retired_keys"] = sorted({*draft["retired_keys"], question_key})
    _save_draft(
        actor=actor,
        manual=manual,
        draft=draft,
        before=before,
        note=_("設問を削除: %(label)s") % {"label": question.get("label", "")},
    )


@transaction.atomic
def manual_question_move(*, actor, manual: HearingManual, question_key: str, direction: int) -> None:
    """Move a question one place up or down within its section (a condition must stay after its question)."""
    _require(actor, manual.programme)
    manual = _locked(manual)
    draft, before = _draft(manual), copy.deepcopy(manual.draft_definition)
    section, question = _find_question(draft, question_key)
    _move(section["questions"], question, direction)
    _save_draft(
        actor=actor,
        manual=manual,
        draft=draft,
        before=before,
        note=_("設問を移動: %(label)s") % {"label": question.get("label", "")},
    )


@transaction.atomic
def manual_draft_reset(*, actor, manual: HearingManual) -> HearingManual:
    """Throw away the draft's edits: start again from the latest published version. Keys the discarded edits had
    given stay retired; keys of the restored questions are live again."""
    _require(actor, manual.programme)
    manual = _locked(manual)
    before = copy.deepcopy(manual.draft_definition)
    latest = manual.versions.order_by("-number").first()
    draft = _without_code_labels(latest.definition) if latest else {"sections": []}
    old = manual.draft_definition or {}
    live = {s["key"] for s in draft["sections"]} | {q["key"] for _s, q in iter_questions(draft)}
    dropped = {s.get("key") for s in sections_of(old)} | {q.get("key") for _s, q in iter_questions(old)}
    draft["retired_keys"] = sorted((set(old.get("retired_keys") or []) | dropped) - live - {None})
    return _save_draft(actor=actor, manual=manual, draft=draft, before=before, note=_("下書きを公開版に戻しました"))


# --- Publishing ----------------------------------------------------------------------------------------------------


def frozen_definition(draft: Mapping) -> dict:
    """The draft as it will be stored in a version: without retired keys, code-list labels snapshotted."""
    definition = {"sections": copy.deepcopy(list(draft.get("sections") or []))}
    lists = {q["code_list"] for _s, q in iter_questions(definition) if q.get("code_list")}
    items: dict[str, list[CodeItem]] = {name: [] for name in lists}
    for item in CodeItem.objects.filter(list__in=lists, active=True).order_by("list", "order", "code"):
        items[item.list].append(item)
    for _section, question in iter_questions(definition):
        if question.get("code_list"):
            question["options"] = [{"value": i.code, "label": i.label_ja} for i in items[question["code_list"]]]
    return definition


def _without_code_labels(definition: Mapping) -> dict:
    """The sections without the code-list label snapshots a published version carries."""
    plain = {"sections": copy.deepcopy(list(definition.get("sections") or []))}
    for _section, question in iter_questions(plain):
        if question.get("code_list"):
            question.pop("options", None)
    return plain


def draft_changed(manual: HearingManual) -> bool:
    """Whether the draft differs from the latest published version (or has questions when none is published)."""
    latest = manual.versions.order_by("-number").first()
    draft = _without_code_labels(manual.draft_definition or {})
    if latest is None:
        return bool(draft["sections"])
    return _without_code_labels(latest.definition) != draft


@transaction.atomic
def manual_publish(
    *, actor, manual: HearingManual, valid_from: datetime.date, change_note: str = "", backdate: bool = False
) -> HearingManualVersion:
    """Freeze the draft as the manual's next version, valid from `valid_from`.

    `valid_from` may not be earlier than the latest version's, nor (once a version exists) earlier than today, so
    the version in force on a day that has begun never changes afterwards. `backdate=True` lifts the second rule
    for seeding and imports of historical versions. The draft stays as the working copy of the version after.
    """
    _require(actor, manual.programme)
    manual = _locked(manual)
    draft = _draft(manual)
    _raise_if(draft)
    if not any(True for _ in iter_questions(draft)):
        raise ValidationError(_("設問が1つもない版は公開できません。"))
    latest = manual.versions.order_by("-number").first()
    if latest is not None:
        if not draft_changed(manual):
            raise ValidationError(_("前の版から変更がありません。"))
        if valid_from < latest.valid_from:
            raise ValidationError(
                {"valid_from": _("適用開始日は前の版（%(date)s）以降にしてください。") % {"date": latest.valid_from}}
            )
        if valid_from < timezone.localdate() and not backdate:
            raise ValidationError(
                {"valid_from": _("適用開始日は今日以降にしてください。過去の訪問で使われた版は変えられません。")}
            )
    number = (manual.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = HearingManualVersion(
        manual=manual,
        number=number,
        valid_from=valid_from,
        definition=frozen_definition(draft),
        change_note=change_note.strip(),
        published_by=actor if getattr(actor, "pk", None) else None,
    )
    version.full_clean()
    version.save()
    log_change(
        actor=actor,
        instance=version,
        action=ChangeAction.CREATE,
        after=snapshot(version, ["manual", "number", "valid_from", "change_note"]),
        note=_("第%(n)d版を公開") % {"n": number},
    )
    return version
