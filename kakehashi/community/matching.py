"""Suggested matches: a member's needs against other members' offers, ranked, with the reasons in Japanese.

Scoring (0–100, deterministic; ties broken by member id):

- their offers cover my needs — 20 per shared challenge code (at most 60);
- my offers cover their needs — 10 per shared code (at most 30);
- the free texts say similar things — cosine of character bigrams of the normalised texts (my needs against
  their offers, and theirs against mine at half weight), up to 25 points, counted from 0.10;
- met at an exchange event (same table, from `kakehashi.events.selectors.met_pairs`) — 15;
- same region — 10, or else same prefecture — 5;
- a local company meeting an IT company (or the other way round) — 5.

Only a candidate with something to talk about (a shared code, similar text or a meeting) is suggested: being
neighbours alone is no reason. Members of the seeker's own organisation and banned members are never suggested.
"""

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Max
from django.utils.translation import gettext as _

from kakehashi.companies.normalise import company_name_key
from kakehashi.outreach.search import normalise_search_text

from .models import Member

NEED_CODE_POINTS, NEED_CODE_CAP = 20, 60
OFFER_CODE_POINTS, OFFER_CODE_CAP = 10, 30
TEXT_POINTS, TEXT_FLOOR = 25, 0.10
MET_POINTS = 15
REGION_POINTS, PREFECTURE_POINTS = 10, 5
COMPLEMENT_POINTS = 5
MET_PAIRS_TTL = 600
_NOT_WORD = re.compile(r"[\s、。，．,.!?！？・「」（）()\[\]【】/:：;；\-ー〜~]+")


@dataclass(frozen=True)
class Profile:
    """What the matcher reads of one member (built once per request from prefetched rows)."""

    member_id: int
    organisation_id: int
    kind: str
    offers: frozenset[str]
    needs: frozenset[str]
    offers_text: str = ""
    needs_text: str = ""
    region_ids: frozenset[int] = frozenset()
    region_names: tuple[str, ...] = ()
    prefecture_code: str = ""
    keys: frozenset[str] = frozenset()  # organisation and person keys as the events app names who met whom


@dataclass
class Suggestion:
    member: Member | None
    member_id: int
    score: int
    reasons: list[str] = field(default_factory=list)


def bigrams(text: str) -> Counter:
    """Character bigrams of the normalised text with spaces and punctuation removed (single characters too)."""
    parts = [p for p in _NOT_WORD.split(normalise_search_text(text)) if p]
    grams: Counter = Counter()
    for part in parts:
        if len(part) == 1:
            grams[part] += 1
        grams.update(part[i : i + 2] for i in range(len(part) - 1))
    return grams


def text_similarity(a: str, b: str) -> float:
    """Cosine similarity (0–1) of the character-bigram vectors of two texts."""
    ga, gb = bigrams(a), bigrams(b)
    if not ga or not gb:
        return 0.0
    dot = sum(count * gb[gram] for gram, count in ga.items() if gram in gb)
    return dot / (math.sqrt(sum(v * v for v in ga.values())) * math.sqrt(sum(v * v for v in gb.values())))


def score(
    seeker: Profile, candidate: Profile, *, labels: dict[str, str], met: frozenset[frozenset[str]] = frozenset()
) -> tuple[int, list[str]]:
    """The candidate's score for the seeker and the reasons, most important first; (0, []) if no real reason."""
    points, reasons, substantive = 0, [], False
    covered = sorted(seeker.needs & candidate.offers, key=lambda c: (labels.get(c, c), c))
    if covered:
        points += min(NEED_CODE_CAP, NEED_CODE_POINTS * len(covered))
        reasons.append(
            _("あなたの課題「%(codes)s」に対応できます") % {"codes": "」「".join(labels.get(c, c) for c in covered)}
        )
        substantive = True
    helped = sorted(candidate.needs & seeker.offers, key=lambda c: (labels.get(c, c), c))
    if helped:
        points += min(OFFER_CODE_CAP, OFFER_CODE_POINTS * len(helped))
        reasons.append(
            _("相手の課題「%(codes)s」にあなたが対応できます")
            % {"codes": "」「".join(labels.get(c, c) for c in helped)}
        )
        substantive = True
    similarity = max(
        text_similarity(seeker.needs_text, candidate.offers_text),
        text_similarity(candidate.needs_text, seeker.offers_text) / 2,
    )
    if similarity >= TEXT_FLOOR:
        points += round(TEXT_POINTS * min(1.0, similarity * 2))
        reasons.append(_("記述の内容が近い（類似度 %(percent)d%%）") % {"percent": round(similarity * 100)})
        substantive = True
    if any(frozenset({a, b}) in met for a in seeker.keys for b in candidate.keys):
        points += MET_POINTS
        reasons.append(_("交流イベントで同じテーブルになったことがあります"))
        substantive = True
    if not substantive:
        return 0, []
    shared_regions = seeker.region_ids & candidate.region_ids
    if shared_regions:
        points += REGION_POINTS
        reasons.append(_("同じ地域（%(region)s）") % {"region": "・".join(candidate.region_names) or "—"})
    elif seeker.prefecture_code and seeker.prefecture_code == candidate.prefecture_code:
        points += PREFECTURE_POINTS
        reasons.append(_("同じ県内"))
    if seeker.kind != candidate.kind:
        points += COMPLEMENT_POINTS
        reasons.append(_("地域企業とIT企業の組み合わせ"))
    return min(100, points), reasons


def rank(
    seeker: Profile,
    candidates: Iterable[Profile],
    *,
    labels: dict[str, str],
    met: frozenset[frozenset[str]] = frozenset(),
) -> list[tuple[int, int, list[str]]]:
    """(member id, score, reasons) of every suggestable candidate, best first; ties by member id."""
    ranked = []
    for candidate in candidates:
        if candidate.member_id == seeker.member_id or candidate.organisation_id == seeker.organisation_id:
            continue
        points, reasons = score(seeker, candidate, labels=labels, met=met)
        if points > 0:
            ranked.append((candidate.member_id, points, reasons))
    ranked.sort(key=lambda row: (-row[1], row[0]))
    return ranked


# --- Reading profiles from the database -----------------------------------------------------------------------------


def profile_of(member: Member) -> Profile:
    """A profile from a member whose codes, organisation, municipality and regions are prefetched."""
    organisation = member.organisation
    municipality = organisation.municipality
    regions = list(municipality.regions.all()) if municipality else []
    keys = {"n:" + (organisation.name_key or company_name_key(organisation.name))}
    if organisation.company_id:
        keys.add(f"c{organisation.company_id}")
    if member.user.email:
        keys.add(unicodedata.normalize("NFKC", member.user.email).strip().lower())
    return Profile(
        member_id=member.pk,
        organisation_id=organisation.pk,
        kind=organisation.kind,
        offers=frozenset(c.code for c in member.offer_challenges.all()),
        needs=frozenset(c.code for c in member.need_challenges.all()),
        offers_text=member.offers_text,
        needs_text=member.needs_text,
        region_ids=frozenset(r.pk for r in regions),
        region_names=tuple(r.name for r in regions),
        prefecture_code=municipality.prefecture.code if municipality else "",
        keys=frozenset(k for k in keys if k),
    )


PROFILE_RELATED = ("user", "organisation__municipality__prefecture")
PROFILE_PREFETCH = ("offer_challenges", "need_challenges", "organisation__municipality__regions")


def met_pairs() -> frozenset[frozenset[str]]:
    """Pairs of organisations or people who sat at one table at an event; empty without the events app.

    The events app names an organisation "c<registry id>" or "n:<normalised name>" and a person by e-mail;
    `profile_of` gives each member the same keys. Computing the pairs reads every table plan (≈0.1 s for the
    demo), so the result is cached, keyed by the newest table plan and the number of check-ins (a new plan or
    check-in makes a new key) and kept for MET_PAIRS_TTL seconds at most.
    """
    try:
        from kakehashi.events.models import MixingRun, Registration
        from kakehashi.events.selectors import met_pairs as events_met_pairs
    except ImportError:
        return frozenset()
    newest_run = MixingRun.objects.aggregate(newest=Max("pk"))["newest"] or 0
    check_ins = Registration.objects.filter(checked_in_at__isnull=False).count()
    key = f"community:met_pairs:{newest_run}:{check_ins}"
    pairs = cache.get(key)
    if pairs is None:
        pairs = frozenset(events_met_pairs(by="organisation") | events_met_pairs(by="person"))
        cache.set(key, pairs, MET_PAIRS_TTL)
    return pairs


def suggestions_for(member: Member, *, limit: int | None = None) -> list[Suggestion]:
    """Ranked suggestions for `member` among the active members of other organisations."""
    from kakehashi.reference.models import CodeItem

    seeker_row = Member.objects.select_related(*PROFILE_RELATED).prefetch_related(*PROFILE_PREFETCH).get(pk=member.pk)
    candidates = list(
        Member.objects.filter(banned_at__isnull=True, user__is_active=True)
        .exclude(organisation_id=member.organisation_id)
        .select_related(*PROFILE_RELATED)
        .prefetch_related(*PROFILE_PREFETCH)
        .order_by("pk")
    )
    labels = {c.code: c.label for c in CodeItem.objects.filter(list="challenge")}
    ranked = rank(profile_of(seeker_row), [profile_of(c) for c in candidates], labels=labels, met=met_pairs())
    by_id = {c.pk: c for c in candidates}
    rows = ranked if limit is None else ranked[:limit]
    return [Suggestion(member=by_id[pk], member_id=pk, score=points, reasons=reasons) for pk, points, reasons in rows]
