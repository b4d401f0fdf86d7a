"""The navigation each role sees. Apps add their entries here as they arrive."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kakehashi.accounts.choices import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None  # None: every signed-in user

    def visible_to(self, user) -> bool:
        return user.is_superuser or self.roles is None or user.has_role(*self.roles)


STAFF = frozenset({Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR, Role.COORDINATOR, Role.PARTNER})
OFFICE = frozenset({Role.PREFECTURE, Role.MANAGER})

NAV_ITEMS = [
    NavItem(_("ホーム"), "core:home", None),
    NavItem(_("今日の訪問"), "outreach:visit_today", frozenset({Role.MANAGER, Role.COMMUNICATOR})),
    NavItem(_("訪問予定"), "planning:my_day", frozenset({Role.COMMUNICATOR})),
    NavItem(_("訪問計画"), "planning:index", OFFICE),
    NavItem(
        _("訪問記録"),
        "outreach:visit_list",
        frozenset({Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR, Role.COORDINATOR}),
    ),
    NavItem(_("企業等"), "companies:list", STAFF),
    NavItem(_("リスト取込"), "company_imports:list", OFFICE),
    NavItem(_("法人番号データ"), "nta_import:upload", OFFICE),
    NavItem(_("マニュアル"), "library:manual_list", STAFF),
    NavItem(_("コンテンツ"), "library:content_list", STAFF),
    NavItem(_("イベント"), "events:list", frozenset({Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR})),
    NavItem(_("進捗"), "insights:dashboard", frozenset({Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR})),
    NavItem(_("コミュニティ"), "community:home", STAFF | {Role.COMPANY_MEMBER, Role.IT_COMPANY_MEMBER}),
    NavItem(_("ポータル"), "portal:manage_articles", frozenset({Role.PREFECTURE, Role.MANAGER, Role.COORDINATOR})),
    NavItem(_("相談依頼"), "portal:consultation_inbox", frozenset({Role.PREFECTURE, Role.MANAGER, Role.COORDINATOR})),
    NavItem(_("自社の掲載"), "portal:my_profiles", frozenset({Role.IT_COMPANY_MEMBER})),
    NavItem(
        _("紹介"),
        "sharing:referral_list",
        frozenset({Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR, Role.COORDINATOR}),
    ),
    NavItem(_("伴走支援候補"), "sharing:priority_list", frozenset({Role.PREFECTURE, Role.MANAGER, Role.COORDINATOR})),
    NavItem(_("助言の依頼"), "sharing:advice_list", frozenset({Role.MANAGER, Role.COMMUNICATOR, Role.COORDINATOR})),
    NavItem(_("定期報告"), "reports:list", OFFICE),
    NavItem(_("コード表"), "reference:index", STAFF),
    NavItem(_("変更履歴"), "core:changelog", OFFICE),
    NavItem(_("アクセス記録"), "privacy:access_log", frozenset({Role.PREFECTURE})),
    NavItem(_("削除請求"), "privacy:erasure_list", OFFICE),
    NavItem(_("データ引継ぎ"), "handover:export_list", frozenset({Role.PREFECTURE})),
]


def nav_for(user, current_path: str) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if not item.visible_to(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    # Only the most specific match is current (/outreach/visits/today/ is inside /outreach/visits/).
    longest = max((len(i["url"]) for i in items if i["active"]), default=0)
    for i in items:
        i["active"] = i["active"] and len(i["url"]) == longest
    return items
