"""Template tags that let other apps' pages show sharing actions without knowing the sharing app's rules."""

from django import template

from ..selectors import referrals_for

register = template.Library()


@register.simple_tag(takes_context=True)
def referral_actions(context, visit) -> dict:
    """Whether the user may refer this visit's company, and the referrals the user may see for it."""
    user = context["request"].user
    if visit is None or visit.company_id is None:
        return {"can_refer": False, "referrals": []}
    referrals = list(referrals_for(user).filter(programme_id=visit.programme_id, company_id=visit.company_id))
    return {"can_refer": user.has_perm("sharing.refer_visit", visit), "referrals": referrals}
