"""Reads of the portal. Public selectors take no user; staff selectors take the user and narrow by permission."""

import datetime
import re

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ArticleStatus, RevisionStatus
from .models import Article, ConsultationRequest, ITCompany, ITCompanyRevision, PageView, Subscriber

# --- Public ------------------------------------------------------------------------------------------------------


def published_articles(*, now: datetime.datetime | None = None) -> QuerySet[Article]:
    """Articles the public may read: published and with a publish date that has come."""
    return Article.objects.filter(status=ArticleStatus.PUBLISHED, published_at__lte=now or timezone.now())


def public_article(pk: int) -> Article | None:
    return published_articles().prefetch_related("tags", "challenges").filter(pk=pk).first()


def directory_for_public() -> QuerySet[ITCompany]:
    """IT companies listed in the public directory: approved profiles only (the published values)."""
    return ITCompany.objects.filter(approved=True)


def public_it_company(pk: int) -> ITCompany | None:
    return (
        directory_for_public()
        .select_related("region", "municipality", "employees_band")
        .prefetch_related("challenges", "industries")
        .filter(pk=pk)
        .first()
    )


# --- Staff and members -------------------------------------------------------------------------------------------


def articles_for(user) -> QuerySet[Article]:
    """Every article (drafts too) for editors; nothing for anyone else."""
    if not user.has_perm("portal.manage_content"):
        return Article.objects.none()
    return Article.objects.all()


def it_companies_for(user) -> QuerySet[ITCompany]:
    """Editors see every profile; an IT company's member sees the profiles they maintain."""
    if user.has_perm("portal.manage_directory"):
        return ITCompany.objects.all()
    if user.has_perm("portal.edit_own_profile"):
        return ITCompany.objects.filter(members=user)
    return ITCompany.objects.none()


def revisions_for(user) -> QuerySet[ITCompanyRevision]:
    if user.has_perm("portal.manage_directory"):
        return ITCompanyRevision.objects.select_related("it_company", "submitted_by", "decided_by")
    if user.has_perm("portal.edit_own_profile"):
        return ITCompanyRevision.objects.filter(it_company__members=user).select_related("it_company")
    return ITCompanyRevision.objects.none()


def pending_revisions_for(user) -> QuerySet[ITCompanyRevision]:
    return revisions_for(user).filter(status=RevisionStatus.PENDING)


def consultations_for(user) -> QuerySet[ConsultationRequest]:
    if not user.has_perm("portal.view_consultations"):
        return ConsultationRequest.objects.none()
    return ConsultationRequest.objects.select_related("company", "municipality", "assigned_to")


def subscribers_for(user) -> QuerySet[Subscriber]:
    if not user.has_perm("portal.manage_subscribers"):
        return Subscriber.objects.none()
    return Subscriber.objects.all()


# --- Page views --------------------------------------------------------------------------------------------------


def page_views_for(user, *, month: datetime.date) -> QuerySet[PageView]:
    if not user.has_perm("portal.view_page_views"):
        return PageView.objects.none()
    return PageView.objects.filter(month=month).order_by("-views", "path")


def page_view_totals(user, *, months: int = 6) -> list[dict]:
    """Total views per month for the last `months` months (newest first), including months with none."""
    if not user.has_perm("portal.view_page_views"):
        return []
    current = timezone.localdate().replace(day=1)
    wanted = []
    for _month in range(months):
        wanted.append(current)
        current = (current - datetime.timedelta(days=1)).replace(day=1)
    rows = dict(
        PageView.objects.filter(month__in=wanted)
        .values("month")
        .annotate(total=Sum("views"), pages=Count("id"))
        .values_list("month", "total")
    )
    return [{"month": m, "views": rows.get(m, 0)} for m in wanted]


def directory_counts() -> dict[str, int]:
    counts = ITCompany.objects.aggregate(total=Count("id"), listed=Count("id", filter=Q(approved=True)))
    return {"total": counts["total"] or 0, "listed": counts["listed"] or 0}


_OBJECT_PATH = re.compile(r"^/portal/(news|it-companies)/(\d+)/$")
STATIC_PAGE_LABELS = {
    "/portal/": _("ホーム"),
    "/portal/news/": _("お知らせ・記事"),
    "/portal/it-companies/": _("IT企業ディレクトリ"),
    "/portal/search/": _("サイト内検索"),
    "/portal/consultation/": _("DX相談の申込み"),
    "/portal/mail-magazine/": _("メールマガジン登録"),
}


def page_labels(paths) -> dict[str, str]:
    """A readable name for each counted path: the article title or company name, or the page's name."""
    wanted: dict[str, set[int]] = {"news": set(), "it-companies": set()}
    for path in paths:
        match = _OBJECT_PATH.match(path)
        if match:
            wanted[match[1]].add(int(match[2]))
    titles = {
        f"/portal/news/{pk}/": t for pk, t in Article.objects.filter(pk__in=wanted["news"]).values_list("pk", "title")
    }
    names = ITCompany.objects.filter(pk__in=wanted["it-companies"]).values_list("pk", "name")
    titles.update({f"/portal/it-companies/{pk}/": name for pk, name in names})
    return {path: str(titles.get(path) or STATIC_PAGE_LABELS.get(path, path)) for path in paths}
