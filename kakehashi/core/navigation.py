"""The navigation each role sees. Apps add their entries here as they arrive."""

from dataclasses import dataclass
from functools import lru_cache

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kakehashi.accounts.choices import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None  # None: every signed-in user
    group: str = ""  # a key of NAV_GROUPS, or "" for the top level

    def visible_to(self, user) -> bool:
        return user.is_superuser or self.roles is None or user.has_role(*self.roles)


STAFF = frozenset({Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR, Role.COORDINATOR, Role.PARTNER})
OFFICE = frozenset({Role.PREFECTURE, Role.MANAGER})

# Office roles see two dozen screens: beyond FLAT_LIMIT entries the menu folds them into these groups
# (a group holding one visible entry shows that entry directly).
NAV_GROUPS = {
    "field": pgettext_lazy("menu group", "訪問"),
    "companies": pgettext_lazy("menu group", "企業"),
    "sharing": pgettext_lazy("menu group", "連携・相談"),
    "public": pgettext_lazy("menu group", "イベント・発信"),
    "admin": pgettext_lazy("menu group", "報告・管理"),
}
FLAT_LIMIT = 8

FIELD = frozenset({Role.MANAGER, Role.COMMUNICATOR})
PROGRESS = frozenset({Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR})
VISIT_READERS = PROGRESS | {Role.COORDINATOR}
FOUNDATION = frozenset({Role.PREFECTURE, Role.MANAGER, Role.COORDINATOR})

NAV_ITEMS = [
    NavItem(_("ホーム"), "core:home", None),
    NavItem(_("今日の訪問"), "outreach:visit_today", FIELD),
    NavItem(_("訪問予定"), "planning:my_day", frozenset({Role.COMMUNICATOR})),
    NavItem(_("進捗"), "insights:dashboard", PROGRESS),
    NavItem(_("訪問記録"), "outreach:visit_list", VISIT_READERS, "field"),
    NavItem(_("訪問計画"), "planning:index", OFFICE, "field"),
    NavItem(_("マニュアル"), "library:manual_list", STAFF, "field"),
    NavItem(_("コンテンツ"), "library:content_list", STAFF, "field"),
    NavItem(_("企業等"), "companies:list", STAFF, "companies"),
    NavItem(_("リスト取込"), "company_imports:list", OFFICE, "companies"),
    NavItem(_("法人番号データ"), "nta_import:upload", OFFICE, "companies"),
    NavItem(_("紹介"), "sharing:referral_list", VISIT_READERS, "sharing"),
    NavItem(_("伴走支援候補"), "sharing:priority_list", FOUNDATION, "sharing"),
    NavItem(
        _("助言の依頼"),
        "sharing:advice_list",
        frozenset({Role.MANAGER, Role.COMMUNICATOR, Role.COORDINATOR}),
        "sharing",
    ),
    NavItem(_("相談依頼"), "portal:consultation_inbox", FOUNDATION, "sharing"),
    NavItem(_("イベント"), "events:list", PROGRESS, "public"),
    NavItem(_("コミュニティ"), "community:home", STAFF | {Role.COMPANY_MEMBER, Role.IT_COMPANY_MEMBER}, "public"),
    NavItem(_("ポータル"), "portal:manage_articles", FOUNDATION, "public"),
    NavItem(_("自社の掲載"), "portal:my_profiles", frozenset({Role.IT_COMPANY_MEMBER}), "public"),
    NavItem(_("定期報告"), "reports:list", OFFICE, "admin"),
    NavItem(_("コード表"), "reference:index", STAFF, "admin"),
    NavItem(_("変更履歴"), "core:changelog", OFFICE, "admin"),
    NavItem(_("アクセス記録"), "privacy:access_log", frozenset({Role.PREFECTURE}), "admin"),
    NavItem(_("削除請求"), "privacy:erasure_list", OFFICE, "admin"),
    NavItem(_("データ引継ぎ"), "handover:export_list", frozenset({Role.PREFECTURE}), "admin"),
]


@lru_cache(maxsize=256)
def _url_of(url_name: str, script_prefix: str) -> str | None:
    """The menu's URLs never change while the process runs; reversing them on every page is wasted work."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def nav_for(user, current_path: str) -> list[dict]:
    """The menu of `user`: links ({label, url, active}) and, for long menus, groups ({label, links, active})."""
    items = _visible_links(user, current_path)
    keys = [item.pop("group") for item in items]
    if len(items) <= FLAT_LIMIT:
        return items
    entries, groups = [], {}
    for item, key in zip(items, keys, strict=True):
        if not key:
            entries.append(item)
            continue
        if key not in groups:
            groups[key] = {"label": NAV_GROUPS[key], "links": [], "active": False}
            entries.append(groups[key])
        groups[key]["links"].append(item)
        groups[key]["active"] |= item["active"]
    return [entry["links"][0] if len(entry.get("links", ())) == 1 else entry for entry in entries]


def _visible_links(user, current_path: str) -> list[dict]:
    items = []
    prefix = get_script_prefix()
    for item in NAV_ITEMS:
        if not item.visible_to(user):
            continue
        url = _url_of(item.url_name, prefix)
        if url is None:
            continue
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active, "group": item.group})
    # Only the most specific match is current (/outreach/visits/today/ is inside /outreach/visits/).
    longest = max((len(i["url"]) for i in items if i["active"]), default=0)
    for i in items:
        i["active"] = i["active"] and len(i["url"]) == longest
    return items
