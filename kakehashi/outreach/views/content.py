"""Content-library screens: the list with filters, an item, its file (permission-checked), create/edit, usage."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kakehashi.core.changelog import history_for
from kakehashi.core.forms import add_service_errors
from kakehashi.core.htmx import render_page_or_partial
from kakehashi.core.pagination import paginate

from ..choices import COUNTED_VISIT_STATUSES
from ..content import content_for, content_item_for, content_usage
from ..forms.content import ContentForm, filter_content
from ..models import ContentItem
from ..services import content as services

HISTORY_LIMIT = 20
USAGE_PAGE_SIZE = 50


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _programme(request):
    programme = getattr(request, "programme", None)
    return programme if programme else None


def _item_or_404(request, pk: int, perm: str = "outreach.view_library") -> ContentItem:
    item = content_item_for(request.user, pk)
    if item is None or not request.user.has_perm(perm, item.programme):
        raise Http404
    return item


@login_required
@require_GET
def content_list(request):
    _require(request, "outreach.use_library")
    programme = _programme(request)
    queryset = content_for(request.user, programme=programme) if programme else ContentItem.objects.none()
    result = filter_content(queryset.prefetch_related("challenges"), request.GET)
    for message in result.ignored:
        messages.warning(request, message)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": paginate(request, result.queryset.order_by("kind", "title", "pk")),
        "form": result.form,
        "programme": programme,
        "querystring": query.urlencode(),
        "can_edit": bool(programme) and request.user.has_perm("outreach.change_library", programme),
        "can_usage": bool(programme) and request.user.has_perm("outreach.view_library_stats", programme),
    }
    return render_page_or_partial(request, "outreach/content_list.html", context, "results")


@login_required
@require_GET
def content_detail(request, pk: int):
    item = _item_or_404(request, pk)
    can_edit = request.user.has_perm("outreach.change_library", item.programme)
    context = {
        "item": item,
        "challenges": list(item.challenges.all()),
        "can_edit": can_edit,
        "history": history_for(item)[:HISTORY_LIMIT] if can_edit else [],
    }
    return render(request, "outreach/content_detail.html", context)


@login_required
@require_GET
def content_file(request, pk: int):
    """An item's file, only after the permission check (never served from /media)."""
    item = _item_or_404(request, pk)
    if not item.file:
        raise Http404
    from kakehashi.privacy.services import access_record

    access_record(actor=request.user, action="content_download", target=item)
    inline = item.file_type in {"application/pdf", "image/png", "image/jpeg"}
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.file_type or "application/octet-stream",
        as_attachment=not inline,
        filename=item.file_name or "file",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; object-src 'self'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _save(request, form: ContentForm, item: ContentItem | None, programme):
    try:
        if item is None:
            return services.content_create(
                actor=request.user, programme=programme, values=form.values(), upload=form.cleaned_data.get("file")
            )
        return services.content_update(
            actor=request.user,
            item=item,
            values=form.values(),
            upload=form.cleaned_data.get("file"),
            remove_file=form.cleaned_data.get("remove_file", False),
        )
    except ValidationError as error:
        add_service_errors(form, error)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def content_create(request):
    _require(request, "outreach.use_library")
    programme = _programme(request)
    if programme is None or not request.user.has_perm("outreach.change_library", programme):
        raise PermissionDenied
    form = ContentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        item = _save(request, form, None, programme)
        if item is not None:
            messages.success(request, _("コンテンツを登録しました。"))
            return redirect("library:content_detail", pk=item.pk)
    return render(request, "outreach/content_form.html", {"form": form, "item": None, "programme": programme})


@login_required
@require_http_methods(["GET", "POST"])
def content_edit(request, pk: int):
    item = _item_or_404(request, pk, "outreach.change_library")
    form = ContentForm(request.POST or None, request.FILES or None, item=item)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, item, item.programme)
        if saved is not None:
            messages.success(request, _("コンテンツを更新しました。"))
            return redirect("library:content_detail", pk=saved.pk)
    return render(request, "outreach/content_form.html", {"form": form, "item": item, "programme": item.programme})


@login_required
@require_GET
def content_usage_view(request):
    """Per item: counted visits that showed it, their outcomes and the share with high interest."""
    _require(request, "outreach.use_library")
    programme = _programme(request)
    if programme is None or not request.user.has_perm("outreach.view_library_stats", programme):
        raise PermissionDenied
    result = filter_content(content_for(request.user, programme=programme), request.GET)
    counted = Q(visits__status__in=COUNTED_VISIT_STATUSES)
    ranked = result.queryset.annotate(shown=Count("visits", filter=counted, distinct=True))
    page = paginate(request, ranked.order_by("-shown", "kind", "title", "pk"), USAGE_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "programme": programme,
        "form": result.form,
        "page": page,
        "rows": content_usage(page.object_list),
        "querystring": query.urlencode(),
    }
    return render(request, "outreach/content_usage.html", context)
