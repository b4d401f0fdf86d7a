from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of the product brief. Staff accounts may hold more than one."""

    PREFECTURE = "prefecture", _("所管課（県）")
    MANAGER = "manager", _("事業責任者")
    COMMUNICATOR = "communicator", _("DXコミュニケータ")
    COORDINATOR = "coordinator", _("DX推進コーディネータ")
    PARTNER = "partner", _("ラボ構成団体・同行者")
    COMPANY_MEMBER = "company_member", _("企業")
    IT_COMPANY_MEMBER = "it_company_member", _("IT企業")


STAFF_ROLES = frozenset({Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR, Role.COORDINATOR, Role.PARTNER})
