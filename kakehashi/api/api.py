"""The django-ninja API under /api/v1/, assembled from each app's `api` module."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from kakehashi.community.api import router as community_router
from kakehashi.companies.api import router as companies_router
from kakehashi.companies.api_registry import router as registry_router
from kakehashi.events.api import router as events_router
from kakehashi.insights.api import router as insights_router
from kakehashi.outreach.api import router as outreach_router
from kakehashi.outreach.api_visits import router as visits_router
from kakehashi.planning.api import router as planning_router
from kakehashi.portal.api import router as portal_router
from kakehashi.reference.api import router as reference_router
from kakehashi.reports.api import router as reports_router
from kakehashi.sharing.api import router as sharing_router

from .auth import API_AUTH

api = NinjaAPI(
    title="Kakehashi API",
    version="1",
    description=str(_("地域DX推進事業の企業台帳・訪問・進捗の API。個人用トークンで認証します。")),
    auth=API_AUTH,
    urls_namespace="api",
)
api.add_router("/", reference_router)
api.add_router("/", outreach_router)
api.add_router("/", companies_router)
api.add_router("/", registry_router)
api.add_router("/", insights_router)
api.add_router("/", visits_router)
api.add_router("/", planning_router)
api.add_router("/", community_router)
api.add_router("/", events_router)
api.add_router("/", portal_router)
api.add_router("/", sharing_router)
api.add_router("/", reports_router)
