"""Screens of the portal: public pages (no account, counted page views) and the staff and member screens."""

import contextlib
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kakehashi.core.changelog import history_for
from kakehashi.core.exports import csv_response
from kakehashi.core.forms import add_service_errors
from kakehashi.core.htmx import render_page_or_partial
from kakehashi.core.pagination import paginate

from . import services
from .choices import OPEN_CONSULTATION_STATUSES, ArticleKind, RevisionStatus, SubscriberStatus
from .filters import filter_articles, filter_directory
from .forms import (
    ArticleForm,
    ConsultationFilterForm,
    ConsultationForm,
    ConsultationUpdateForm,
    ImageForm,
    MagazineForm,
    MagazineIssueForm,
    PreviewForm,
    ProfileForm,
    RevisionDecisionForm,
    StaffProfileForm,
)
from .models import ArticleImage
from .pageviews import count_page_view, month_of
from .rendering import render_markdown
from .search import search_queryset, search_terms
from .selectors import (
    articles_for,
    consultations_for,
    directory_for_public,
    it_companies_for,
    page_labels,
    page_view_totals,
    page_views_for,
    public_article,
    public_it_company,
    published_articles,
    revisions_for,
    subscribers_for,
)

access_log = logging.getLogger("kakehashi.access")

PUBLIC_PAGE_SIZE = 20
HOME_ARTICLES = 6
HOME_EVENTS = 4
SEARCH_LIMIT = 30


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _querystring(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def upcoming_events(limit: int = HOME_EVENTS) -> list:
    """Upcoming public events from the events app, or nothing while it is not installed."""
    try:
        from kakehashi.events.selectors import public_events
    except ImportError:
        return []
    try:
        return list(public_events(upcoming=True)[:limit])
    except Exception:
        logging.getLogger(__name__).warning("upcoming events unavailable", exc_info=True)
        return []


# --- Public pages --------------------------------------------------------------------------------------------------


@require_GET
@count_page_view
def home(request):
    articles = published_articles().prefetch_related("tags")[:HOME_ARTICLES]
    featured = directory_for_public().select_related("region", "employees_band").order_by("-approved_at", "pk")[:6]
    context = {
        "articles": articles,
        "events": upcoming_events(),
        "featured_companies": featured,
        "directory_count": directory_for_public().count(),
        "kinds": ArticleKind.choices,
    }
    return render(request, "portal/home.html", context)


@require_GET
@count_page_view
def article_list(request):
    result = filter_articles(published_articles().prefetch_related("tags"), request.GET)
    context = {
        "page": paginate(request, result.queryset, PUBLIC_PAGE_SIZE),
        "form": result.form,
        "kinds": ArticleKind.choices,
        "current_kind": request.GET.get("kind", ""),
        "current_tag": request.GET.get("tag", ""),
        "querystring": _querystring(request),
    }
    return render_page_or_partial(request, "portal/article_list.html", context, "results")


@require_GET
@count_page_view
def article_detail(request, pk: int):
    article = public_article(pk)
    if article is None:
        raise Http404
    related = (
        published_articles()
        .filter(Q(kind=article.kind) | Q(tags__in=article.tags.all()))
        .exclude(pk=article.pk)
        .distinct()[:3]
    )
    return render(request, "portal/article_detail.html", {"article": article, "related": related})


@require_GET
@cache_control(public=True, max_age=86400)
def image(request, pk):
    """An article image: the stored bytes with the type sniffed at upload, never run as anything else."""
    picture = ArticleImage.objects.filter(pk=pk).first()
    if picture is None or not picture.file:
        raise Http404
    response = FileResponse(picture.file.open("rb"), content_type=picture.content_type)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@count_page_view
def directory(request):
    base = directory_for_public().select_related("region", "employees_band").prefetch_related("challenges")
    result = filter_directory(base, request.GET)
    context = {
        "page": paginate(request, result.queryset.order_by("name_kana", "name", "pk"), PUBLIC_PAGE_SIZE),
        "form": result.form,
        "querystring": _querystring(request),
    }
    return render_page_or_partial(request, "portal/directory.html", context, "results")


@require_GET
@count_page_view
def itcompany_detail(request, pk: int):
    company = public_it_company(pk)
    if company is None:
        raise Http404
    return render(request, "portal/itcompany_detail.html", {"company": company})


@require_GET
@count_page_view
def search(request):
    query = (request.GET.get("q") or "").strip()[:100]
    terms = search_terms(query)
    articles = companies = []
    if terms:
        articles = list(search_queryset(published_articles(), query)[:SEARCH_LIMIT])
        companies = list(
            search_queryset(directory_for_public(), query)
            .select_related("region")
            .order_by("name_kana", "pk")[:SEARCH_LIMIT]
        )
    context = {"query": query, "terms": terms, "articles": articles, "companies": companies, "limit": SEARCH_LIMIT}
    return render_page_or_partial(request, "portal/search.html", context, "results")


@require_http_methods(["GET", "POST"])
@count_page_view
def consultation(request):
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_spam():
            return redirect("portal:consultation_thanks")
        try:
            services.consultation_submit(values=form.cleaned_data, challenges=form.cleaned_data["challenges"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("portal:consultation_thanks")
    return render(request, "portal/consultation.html", {"form": form})


@require_GET
def consultation_thanks(request):
    return render(request, "portal/consultation_thanks.html")


@require_http_methods(["GET", "POST"])
@count_page_view
def magazine(request):
    form = MagazineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.is_spam():
            services.subscriber_request(email=form.cleaned_data["email"], base_url=_base_url(request))
        return redirect("portal:magazine_sent")
    return render(request, "portal/magazine.html", {"form": form})


@require_GET
def magazine_sent(request):
    return render(request, "portal/magazine_sent.html")


@require_http_methods(["GET", "POST"])
def magazine_confirm(request, token: str):
    """The link in the confirmation mail. GET shows a button (mail scanners that open links confirm nothing)."""
    subscriber = services.subscriber_for_confirm_token(token)
    if subscriber is None:
        return render(request, "portal/magazine_link_invalid.html", status=404)
    if request.method == "POST":
        services.subscriber_confirm(subscriber=subscriber)
        return render(request, "portal/magazine_confirmed.html")
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return render(request, "portal/magazine_confirmed.html")
    return render(request, "portal/magazine_confirm.html", {"token": token})


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a session; the signed token authorises
@require_http_methods(["GET", "POST"])
def magazine_unsubscribe(request, token: str):
    subscriber = services.subscriber_for_unsubscribe_token(token)
    if subscriber is None:
        return render(request, "portal/magazine_link_invalid.html", status=404)
    if request.method == "POST":
        services.subscriber_unsubscribe(subscriber=subscriber)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("配信を停止しました。"), content_type="text/plain; charset=utf-8")
        return render(request, "portal/magazine_unsubscribed.html")
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return render(request, "portal/magazine_unsubscribed.html")
    return render(request, "portal/magazine_unsubscribe.html", {"token": token})


@require_GET
def sitemap(request):
    pages = [
        (reverse("portal:home"), None),
        (reverse("portal:article_list"), None),
        (reverse("portal:directory"), None),
        (reverse("portal:consultation"), None),
        (reverse("portal:magazine"), None),
    ]
    with contextlib.suppress(NoReverseMatch):  # the events app may be absent
        pages.append((reverse("events:public_list"), None))
    pages += [(a.get_absolute_url(), a.updated_at) for a in published_articles().only("pk", "updated_at")]
    pages += [(c.get_absolute_url(), c.updated_at) for c in directory_for_public().only("pk", "updated_at")]
    urls = [{"loc": request.build_absolute_uri(path), "lastmod": when} for path, when in pages]
    return render(request, "portal/sitemap.xml", {"urls": urls}, content_type="application/xml; charset=utf-8")


@require_GET
def robots(request):
    lines = [
        "User-agent: *",
        "Allow: /portal/",
        "Allow: /events/",
        "Disallow: /portal/manage/",
        "Disallow: /portal/my-profile/",
        "Disallow: /portal/mail-magazine/confirm/",
        "Disallow: /portal/mail-magazine/unsubscribe/",
        "Disallow: /accounts/",
        "Disallow: /api/",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('portal:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# --- Staff: articles -----------------------------------------------------------------------------------------------


def _article_or_404(request, pk: int):
    article = articles_for(request.user).prefetch_related("tags", "challenges").filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


@login_required
@require_GET
def manage_articles(request):
    _require(request, "portal.manage_content")
    queryset = articles_for(request.user).select_related("author").order_by("-updated_at", "-pk")
    status = request.GET.get("status", "")
    if status in {"draft", "published"}:
        queryset = queryset.filter(status=status)
    context = {"page": paginate(request, queryset), "status": status, "now": timezone.now()}
    return render(request, "portal/manage_articles.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def article_create(request):
    _require(request, "portal.manage_content")
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(actor=request.user, values=form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("記事を保存しました。"))
            return redirect("portal:article_edit", pk=article.pk)
    return render(request, "portal/article_form.html", {"form": form, "image_form": ImageForm()})


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request, pk: int):
    _require(request, "portal.manage_content")
    article = _article_or_404(request, pk)
    form = ArticleForm(request.POST or None, article=article)
    if request.method == "POST" and form.is_valid():
        try:
            services.article_update(actor=request.user, article=article, values=form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("記事を保存しました。"))
            return redirect("portal:article_edit", pk=article.pk)
    context = {"form": form, "article": article, "image_form": ImageForm(), "history": history_for(article)[:20]}
    return render(request, "portal/article_form.html", context)


@login_required
@require_POST
def article_preview(request):
    """The Markdown as the public will see it (sanitised the same way), for the editor's preview pane."""
    _require(request, "portal.manage_content")
    form = PreviewForm(request.POST)
    body = form.cleaned_data["body"] if form.is_valid() else ""
    return render(request, "portal/partials/preview.html", {"html": render_markdown(body)})


@login_required
@require_http_methods(["GET", "POST"])
def image_upload(request):
    _require(request, "portal.manage_content")
    form = ImageForm(request.POST or None, request.FILES or None)
    uploaded = None
    if request.method == "POST" and form.is_valid():
        try:
            uploaded = services.article_image_upload(
                actor=request.user, upload=form.cleaned_data["file"], alt=form.cleaned_data["alt"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = ImageForm()
    context = {
        "image_form": form,
        "uploaded": uploaded,
        "page": paginate(request, ArticleImage.objects.order_by("-created_at"), 24),
    }
    return render_page_or_partial(request, "portal/images.html", context, "upload")


# --- Staff: directory ----------------------------------------------------------------------------------------------


def _company_or_404(request, pk: int):
    company = it_companies_for(request.user).prefetch_related("challenges", "industries", "members").filter(pk=pk)
    company = company.first()
    if company is None:
        raise Http404
    return company


@login_required
@require_GET
def manage_directory(request):
    _require(request, "portal.manage_directory")
    queryset = (
        it_companies_for(request.user)
        .select_related("region")
        .annotate(pending=Count("revisions", filter=Q(revisions__status=RevisionStatus.PENDING)))
    )
    query = (request.GET.get("q") or "").strip()
    if query:
        queryset = search_queryset(queryset, query)
    context = {
        "page": paginate(request, queryset.order_by("name_kana", "name", "pk")),
        "q": query,
        "pending_count": revisions_for(request.user).filter(status=RevisionStatus.PENDING).count(),
    }
    return render_page_or_partial(request, "portal/manage_directory.html", context, "results")


@login_required
@require_http_methods(["GET", "POST"])
def itcompany_create(request):
    _require(request, "portal.manage_directory")
    form = StaffProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            company = services.itcompany_create(
                actor=request.user,
                values=values,
                members=values.pop("members", []),
                approved=values.pop("approved", False),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("IT企業を登録しました。"))
            return redirect("portal:itcompany_edit", pk=company.pk)
    return render(request, "portal/itcompany_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def itcompany_edit(request, pk: int):
    _require(request, "portal.manage_directory")
    company = _company_or_404(request, pk)
    form = StaffProfileForm(request.POST or None, it_company=company)
    if request.method == "POST" and form.is_valid():
        try:
            services.itcompany_update(actor=request.user, it_company=company, values=form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("掲載内容を保存しました。"))
            return redirect("portal:itcompany_edit", pk=company.pk)
    context = {
        "form": form,
        "company": company,
        "revisions": company.revisions.select_related("submitted_by")[:10],
        "history": history_for(company)[:20],
    }
    return render(request, "portal/itcompany_form.html", context)


@login_required
@require_GET
def revision_list(request):
    _require(request, "portal.manage_directory")
    status = request.GET.get("status") or RevisionStatus.PENDING
    queryset = revisions_for(request.user)
    if status in RevisionStatus.values:
        queryset = queryset.filter(status=status)
    context = {"page": paginate(request, queryset), "status": status, "statuses": RevisionStatus.choices}
    return render(request, "portal/revision_list.html", context)


def _revision_changes(revision) -> list[dict]:
    """Field by field: the published value and the proposed one (changed ones marked)."""
    proposed = services.revision_values(revision.data)
    company = revision.it_company
    form = ProfileForm()
    rows = []
    for name, value in proposed.items():
        current = getattr(company, name)
        if name in {"challenges", "industries"}:
            current_items = list(current.all())
            before = "、".join(getattr(i, "label", None) or i.name for i in current_items)
            after = "、".join(getattr(i, "label", None) or i.name for i in value)
            changed = {i.pk for i in current_items} != {i.pk for i in value}
        else:
            before, after = current, value
            changed = (current or "") != (value or "")
        rows.append({"label": form.fields[name].label, "before": before, "after": after, "changed": changed})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def revision_review(request, pk: int):
    _require(request, "portal.manage_directory")
    revision = revisions_for(request.user).filter(pk=pk).first()
    if revision is None:
        raise Http404
    form = RevisionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.itcompany_revision_approve(
                    actor=request.user, revision=revision, note=form.cleaned_data["note"]
                )
                messages.success(request, _("承認し、掲載内容を公開しました。"))
            else:
                services.itcompany_revision_reject(
                    actor=request.user, revision=revision, note=form.cleaned_data["note"]
                )
                messages.success(request, _("差し戻しました。"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("portal:revision_list")
    context = {"revision": revision, "rows": _revision_changes(revision), "form": form}
    return render(request, "portal/revision_review.html", context)


# --- Members: their own profile --------------------------------------------------------------------------------


@login_required
@require_GET
def my_profiles(request):
    _require(request, "portal.edit_own_profile")
    companies = (
        it_companies_for(request.user)
        .filter(members=request.user)
        .prefetch_related(
            Prefetch("revisions", queryset=revisions_for(request.user).order_by("-submitted_at"), to_attr="recent")
        )
    )
    return render(request, "portal/my_profiles.html", {"page": paginate(request, companies.order_by("name", "pk"))})


@login_required
@require_http_methods(["GET", "POST"])
def profile_propose(request, pk: int):
    company = it_companies_for(request.user).filter(pk=pk, members=request.user).first()
    if company is None or not request.user.has_perm("portal.propose_profile", company):
        raise Http404
    pending = company.revisions.filter(status=RevisionStatus.PENDING).first()
    initial_values = services.revision_values(pending.data) if pending else None
    if request.method == "POST":
        form = ProfileForm(request.POST, it_company=company)
    elif initial_values is not None:
        form = ProfileForm(it_company=company)
        form.initial.update(
            {
                k: ([i.code for i in v] if k in {"challenges", "industries"} else getattr(v, "pk", v))
                for k, v in initial_values.items()
            }
        )
    else:
        form = ProfileForm(it_company=company)
    if request.method == "POST" and form.is_valid():
        try:
            services.itcompany_revision_submit(actor=request.user, it_company=company, values=form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("変更を申請しました。事務局が確認してから公開されます。"))
            return redirect("portal:my_profiles")
    last_decided = company.revisions.exclude(status=RevisionStatus.PENDING).order_by("-decided_at").first()
    context = {"form": form, "company": company, "pending": pending, "last_decided": last_decided}
    return render(request, "portal/profile_form.html", context)


# --- Staff: consultation requests --------------------------------------------------------------------------------


@login_required
@require_GET
def consultation_inbox(request):
    _require(request, "portal.view_consultations")
    form = ConsultationFilterForm(request.GET)
    queryset = consultations_for(request.user).prefetch_related("challenges")
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    if status:
        queryset = queryset.filter(status=status)
    counts = dict(consultations_for(request.user).values("status").annotate(n=Count("id")).values_list("status", "n"))
    context = {
        "page": paginate(request, queryset),
        "form": form,
        "open_count": sum(counts.get(s, 0) for s in OPEN_CONSULTATION_STATUSES),
        "can_see_contact": request.user.has_perm("portal.view_consultation_contact"),
        "querystring": _querystring(request),
    }
    return render(request, "portal/consultation_inbox.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_detail(request, pk: int):
    _require(request, "portal.view_consultations")
    item = consultations_for(request.user).prefetch_related("challenges").filter(pk=pk).first()
    if item is None:
        raise Http404
    can_change = request.user.has_perm("portal.change_consultation")
    can_see_contact = request.user.has_perm("portal.view_consultation_contact")
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    initial = {"status": item.status, "assigned_to": item.assigned_to_id, "staff_note": item.staff_note}
    form = ConsultationUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.consultation_update(
            actor=request.user,
            consultation=item,
            status=form.cleaned_data["status"],
            staff_note=form.cleaned_data["staff_note"],
            assigned_to=form.cleaned_data["assigned_to"] or False,
        )
        messages.success(request, _("相談依頼を更新しました。"))
        return redirect("portal:consultation_detail", pk=item.pk)
    if can_see_contact:
        access_log.info("consultation contact viewed request=%s user=%s", item.pk, request.user.pk)
    context = {
        "item": item,
        "form": form if can_change else None,
        "can_see_contact": can_see_contact,
        "history": history_for(item)[:20],
    }
    return render(request, "portal/consultation_detail.html", context)


# --- Staff: mail magazine --------------------------------------------------------------------------------------------


@login_required
@require_GET
def subscriber_list(request):
    _require(request, "portal.manage_subscribers")
    queryset = subscribers_for(request.user)
    status = request.GET.get("status", "")
    if status in SubscriberStatus.values:
        queryset = queryset.filter(status=status)
    counts = dict(subscribers_for(request.user).values("status").annotate(n=Count("id")).values_list("status", "n"))
    context = {
        "page": paginate(request, queryset),
        "status": status,
        "statuses": SubscriberStatus.choices,
        "counts": [(value, label, counts.get(value, 0)) for value, label in SubscriberStatus.choices],
        "querystring": _querystring(request),
    }
    return render(request, "portal/subscriber_list.html", context)


@login_required
@require_GET
def subscriber_export(request):
    _require(request, "portal.manage_subscribers")
    queryset = subscribers_for(request.user).filter(status=SubscriberStatus.CONFIRMED).order_by("pk")
    access_log.info("subscriber list exported user=%s", request.user.pk)
    header = [_("メールアドレス"), _("状態"), _("購読開始日時"), _("登録日時")]
    rows = (
        (
            s.email,
            s.get_status_display(),
            timezone.localtime(s.confirmed_at) if s.confirmed_at else None,
            timezone.localtime(s.created_at),
        )
        for s in queryset.iterator()
    )
    filename = f"mail-magazine-{timezone.localdate():%Y%m%d}.csv"
    return csv_response(rows, header, filename=filename)


@login_required
@require_http_methods(["GET", "POST"])
def magazine_send(request):
    _require(request, "portal.manage_subscribers")
    form = MagazineIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issue = services.magazine_issue_send(
            actor=request.user,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            base_url=_base_url(request),
        )
        messages.success(request, _("%(n)d件の宛先に送信しました。") % {"n": issue.recipients})
        return redirect("portal:subscriber_list")
    confirmed = subscribers_for(request.user).filter(status=SubscriberStatus.CONFIRMED).count()
    return render(request, "portal/magazine_send.html", {"form": form, "confirmed": confirmed})


# --- Staff: page views -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def page_views(request):
    _require(request, "portal.view_page_views")
    totals = page_view_totals(request.user, months=12)
    month = month_of()
    wanted = request.GET.get("month", "")
    for row in totals:
        if f"{row['month']:%Y-%m}" == wanted:
            month = row["month"]
    page = paginate(request, page_views_for(request.user, month=month))
    labels = page_labels([row.path for row in page])
    rows = [{"path": row.path, "label": labels[row.path], "views": row.views} for row in page]
    context = {"totals": totals, "month": month, "page": page, "rows": rows}
    return render(request, "portal/page_views.html", context)
