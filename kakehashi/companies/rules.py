"""Who may see and change the company registry and its contacts (personal information)."""

import rules

from kakehashi.accounts.choices import Role
from kakehashi.accounts.rules import has_role, is_superuser

from .models import Contact

# Everyone who works on a programme may look companies up; company and IT-company members may not.
is_registry_viewer = is_superuser | has_role(
    Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR, Role.COORDINATOR, Role.PARTNER
)
is_registry_editor = is_superuser | has_role(Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR)
# Bulk exports of the registry (no personal information in them): programme staff, not partner staff.
is_registry_exporter = is_superuser | has_role(Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR, Role.COORDINATOR)
# Reviewing duplicates and merging records rewrites other records: the office only.
is_registry_curator = is_superuser | has_role(Role.PREFECTURE, Role.MANAGER)

_is_contact_role = has_role(Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR)


@rules.predicate
def can_view_contacts(user, company=None) -> bool:
    """担当者 (personal information) are shown only to the roles that need them for their work.

    Superusers (system administrators), partners and company members do not see them. Coordinators see, per
    company (or per contact when `company` is a `Contact`), only the contacts named on a referral whose consent
    covers contact details (`kakehashi.sharing.selectors.shared_contact_ids`); never without an object.
    """
    if _is_contact_role(user):
        return True
    if company is None or not user.is_authenticated or not user.has_role(Role.COORDINATOR):
        return False
    from kakehashi.sharing.selectors import shared_contact_ids

    if isinstance(company, Contact):
        return shared_contact_ids(user).filter(contact_id=company.pk).exists()
    return shared_contact_ids(user, company).exists()


@rules.predicate
def can_change_contacts(user, company=None) -> bool:
    return _is_contact_role(user)


rules.add_perm("companies.view_company", is_registry_viewer)
rules.add_perm("companies.add_company", is_registry_editor)
rules.add_perm("companies.change_company", is_registry_editor)
rules.add_perm("companies.export_company", is_registry_exporter)
rules.add_perm("companies.review_duplicates", is_registry_curator)
rules.add_perm("companies.merge_company", is_registry_curator)
rules.add_perm("companies.view_contact", can_view_contacts)
rules.add_perm("companies.add_contact", can_change_contacts)
rules.add_perm("companies.change_contact", can_change_contacts)
rules.add_perm("companies.delete_contact", can_change_contacts)


def may_view_contacts(user, company=None) -> bool:
    """Whether `user` may see `company`'s contacts. Use this, not `user.has_perm`: Django lets a superuser pass
    every `has_perm`, and system administrators have no need to see personal information."""
    return bool(user.is_authenticated and can_view_contacts.test(user, company))


def may_change_contacts(user, company=None) -> bool:
    return bool(user.is_authenticated and can_change_contacts.test(user, company))


# The importers keep their predicates beside their code; importing them here registers their
# permissions at startup (rules autodiscovers only `<app>.rules`).
from .listimport import rules as _listimport_rules  # noqa: E402, F401
from .nta import rules as _nta_rules  # noqa: E402, F401
