"""The main menu: what each role sees, and long menus folded into groups."""

import pytest

from kakehashi.core.navigation import FLAT_LIMIT, NAV_GROUPS, nav_for

pytestmark = pytest.mark.django_db


def _links(entries) -> list[dict]:
    return [link for entry in entries for link in entry.get("links", [entry])]


def test_a_short_menu_stays_flat(make_user):
    entries = nav_for(make_user("company_member"), "/")
    assert len(entries) <= FLAT_LIMIT
    assert all("links" not in entry for entry in entries)


def test_a_long_menu_is_grouped_and_loses_nothing(make_user):
    manager = make_user("manager")
    entries = nav_for(manager, "/outreach/visits/")
    assert len(entries) <= FLAT_LIMIT
    groups = [entry for entry in entries if "links" in entry]
    assert {str(group["label"]) for group in groups} <= {str(label) for label in NAV_GROUPS.values()}
    assert all(len(group["links"]) > 1 for group in groups), "a group of one is shown as its link"
    labels = [str(link["label"]) for link in _links(entries)]
    assert "訪問記録" in labels
    assert "データ引継ぎ" not in labels, "prefecture only"
    assert len(labels) == len(set(labels))


def test_the_current_page_marks_its_link_and_group(make_user):
    entries = nav_for(make_user("manager"), "/outreach/visits/today/")
    current = [link for link in _links(entries) if link["active"]]
    assert [str(link["label"]) for link in current] == ["今日の訪問"], "only the most specific match"
    entries = nav_for(make_user("manager"), "/outreach/visits/")
    [group] = [entry for entry in entries if entry.get("active") and "links" in entry]
    assert "訪問記録" in [str(link["label"]) for link in group["links"]]
