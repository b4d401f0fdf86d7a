"""Writes to the editable reference data: code items and regions. There is no delete.

A code item is retired, never deleted, and its code is never given to another item of the same
list (even after retirement), so old records keep their meaning.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kakehashi.core.changelog import log_change, snapshot
from kakehashi.core.choices import ChangeAction

from .choices import CodeList
from .models import CodeItem, Municipality, Region

CODEITEM_FIELDS = ["list", "code", "label_ja", "label_en", "description", "order", "active"]
REGION_FIELDS = ["prefecture", "code", "name", "order", "active"]


def _region_snapshot(region: Region) -> dict:
    data = snapshot(region, REGION_FIELDS)
    data["municipalities"] = sorted(region.municipalities.values_list("code", flat=True))
    return data


@transaction.atomic
def codeitem_create(
    *,
    actor,
    list: str,  # named like the model field; shadows the builtin inside this function only
    code: str,
    label_ja: str,
    label_en: str = "",
    order: int | None = None,
    description: str = "",
) -> CodeItem:
    """Add a code to a list. A code already used in that list — even a retired one — is refused."""
    code = (code or "").strip()
    if list not in CodeList.values:
        raise ValidationError({"list": _("コード表「%(list)s」はありません。") % {"list": list}})
    if CodeItem.objects.filter(list=list, code=code).exists():
        raise ValidationError(
            {
                "code": _(
                    "コード「%(code)s」はこのコード表で既に使われています（廃止済みを含む）。コードは再利用できません。"
                )
                % {"code": code}
            }
        )
    if order is None:
        order = (CodeItem.objects.filter(list=list).aggregate(m=Max("order"))["m"] or 0) + 10
    item = CodeItem(
        list=list,
        code=code,
        label_ja=(label_ja or "").strip(),
        label_en=(label_en or "").strip(),
        order=order,
        description=(description or "").strip(),
    )
    item.full_clean()
    item.save()
    log_change(actor=actor, instance=item, action=ChangeAction.CREATE, after=snapshot(item, CODEITEM_FIELDS))
    return item


@transaction.atomic
def codeitem_update(*, actor, item: CodeItem, label_ja: str, label_en: str, order: int, description: str) -> CodeItem:
    """Change the labels, order and description of a code. The code itself never changes."""
    before = snapshot(item, CODEITEM_FIELDS)
    item.label_ja = (label_ja or "").strip()
    item.label_en = (label_en or "").strip()
    item.order = order
    item.description = (description or "").strip()
    item.full_clean()
    item.save()
    log_change(
        actor=actor, instance=item, action=ChangeAction.UPDATE, before=before, after=snapshot(item, CODEITEM_FIELDS)
    )
    return item


def _set_active(*, actor, item: CodeItem, active: bool, action: str) -> CodeItem:
    if item.active == active:
        return item
    before = snapshot(item, CODEITEM_FIELDS)
    item.active = active
    item.save(update_fields=["active"])
    log_change(actor=actor, instance=item, action=action, before=before, after=snapshot(item, CODEITEM_FIELDS))
    return item


@transaction.atomic
def codeitem_retire(*, actor, item: CodeItem) -> CodeItem:
    """Stop offering a code for new records. Records that use it keep it; the code stays taken."""
    return _set_active(actor=actor, item=item, active=False, action=ChangeAction.RETIRE)


@transaction.atomic
def codeitem_reactivate(*, actor, item: CodeItem) -> CodeItem:
    """Offer a retired code again."""
    return _set_active(actor=actor, item=item, active=True, action=ChangeAction.STATUS)


@transaction.atomic
def region_update(*, actor, region: Region, name: str, order: int, municipalities: Iterable[Municipality]) -> Region:
    """Rename a region and set its members.

    A municipality belongs to at most one region of its prefecture: choosing it here moves it
    out of the region it was in (that region's change is logged too).
    """
    members = {m.pk: m for m in municipalities}
    foreign = [m.name for m in members.values() if m.prefecture_id != region.prefecture_id]
    if foreign:
        raise ValidationError(
            {
                "municipalities": _("%(prefecture)s以外の市区町村は選べません: %(names)s")
                % {"prefecture": region.prefecture.name, "names": "、".join(foreign)}
            }
        )
    name = (name or "").strip()
    if Region.objects.filter(prefecture_id=region.prefecture_id, name=name).exclude(pk=region.pk).exists():
        raise ValidationError({"name": _("地域名「%(name)s」は既に使われています。") % {"name": name}})

    before = _region_snapshot(region)
    region.name = name
    region.order = order
    region.full_clean()
    region.save()

    others = (
        Region.objects.filter(prefecture_id=region.prefecture_id, municipalities__in=list(members))
        .exclude(pk=region.pk)
        .distinct()
    )
    for other in others:
        other_before = _region_snapshot(other)
        other.municipalities.remove(*members)
        log_change(
            actor=actor,
            instance=other,
            action=ChangeAction.UPDATE,
            before=other_before,
            after=_region_snapshot(other),
            note=_("「%(name)s」への移動") % {"name": region.name},
        )
    region.municipalities.set(list(members))
    log_change(actor=actor, instance=region, action=ChangeAction.UPDATE, before=before, after=_region_snapshot(region))
    return region
