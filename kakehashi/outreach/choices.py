from django.db import models
from django.utils.translation import gettext_lazy as _

from kakehashi.accounts.choices import Role


class ProgrammeKind(models.TextChoices):
    DX_COMMUNICATE = "dx_communicate", _("DXコミュニケート（企業訪問）")
    CROSS_INDUSTRY = "cross_industry", _("異業種連携（交流・コミュニティ）")


# Roles a member can hold inside one programme.
PROGRAMME_ROLES = [
    (Role.PREFECTURE.value, Role.PREFECTURE.label),
    (Role.MANAGER.value, Role.MANAGER.label),
    (Role.COMMUNICATOR.value, Role.COMMUNICATOR.label),
    (Role.COORDINATOR.value, Role.COORDINATOR.label),
    (Role.PARTNER.value, Role.PARTNER.label),
]
