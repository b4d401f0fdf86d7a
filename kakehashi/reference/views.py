"""Pages of the reference data: code lists (editable inline with HTMX), regions, places, JSIC.

Every page needs a staff role (`reference.view_codes`); edits need `reference.change_codes`.
Each edit works as a plain form POST too, so nothing depends on JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kakehashi.core.forms import add_service_errors
from kakehashi.core.pagination import paginate

from . import selectors, services
from .choices import CodeList
from .forms import CodeItemCreateForm, CodeItemForm, RegionForm
from .models import CodeItem, Region

CODE_PAGE_SIZE = 100


def _require_view(user) -> None:
    if not selectors.can_view(user):
        raise PermissionDenied


def _require_edit(user) -> None:
    if not selectors.can_edit(user):
        raise PermissionDenied


def _is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False)) and not request.htmx.boosted


def _list_label(list_name: str) -> str:
    if list_name not in CodeList.values:
        raise Http404
    return CodeList(list_name).label


def _get_item(user, list_name: str, code: str) -> CodeItem:
    item = selectors.codeitems_for(user, list_name).filter(code=code).first()
    if item is None:
        raise Http404
    return item


def _item_form(item: CodeItem, data=None) -> CodeItemForm:
    initial = {
        "label_ja": item.label_ja,
        "label_en": item.label_en,
        "order": item.order,
        "description": item.description,
    }
    return CodeItemForm(data, initial=initial, auto_id=f"id_{item.code}_%s")


# --- Index ------------------------------------------------------------------------------------


@login_required
def index(request):
    _require_view(request.user)
    context = {
        "code_lists": selectors.code_lists_for(request.user),
        "regions": selectors.regions_for(request.user),
        "municipality_count": selectors.municipalities_for(request.user).count(),
        "industry_count": selectors.industries_for(request.user).count(),
        "can_edit": selectors.can_edit(request.user),
    }
    return render(request, "reference/index.html", context)


# --- Code lists -------------------------------------------------------------------------------


def _code_list_context(request, list_name: str, add_form=None) -> dict:
    can_edit = selectors.can_edit(request.user)
    return {
        "list_name": list_name,
        "list_label": _list_label(list_name),
        "page": paginate(request, selectors.codeitems_for(request.user, list_name), per_page=CODE_PAGE_SIZE),
        "can_edit": can_edit,
        "add_form": add_form
        if add_form is not None
        else (CodeItemCreateForm(auto_id="id_new_%s") if can_edit else None),
    }


@login_required
def code_list(request, list_name: str):
    _require_view(request.user)
    return render(request, "reference/code_list.html", _code_list_context(request, list_name))


@login_required
@require_http_methods(["GET", "POST"])
def codeitem_add(request, list_name: str):
    _require_edit(request.user)
    _list_label(list_name)
    form = CodeItemCreateForm(request.POST or None, auto_id="id_new_%s")
    if request.method == "POST" and form.is_valid():
        try:
            item = services.codeitem_create(actor=request.user, list=list_name, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("コード「%(code)s %(label)s」を追加しました。") % {"code": item.code, "label": item.label_ja}
            )
            return redirect("reference:code_list", list_name=list_name)
    return render(request, "reference/code_list.html", _code_list_context(request, list_name, add_form=form))


@login_required
def codeitem_row(request, list_name: str, code: str):
    """The display row of one item (what "cancel" swaps back in); without HTMX, the list page."""
    _require_view(request.user)
    item = _get_item(request.user, list_name, code)
    if not _is_htmx(request):
        return redirect("reference:code_list", list_name=list_name)
    return render(
        request, "reference/code_list.html#item_row", {"item": item, "can_edit": selectors.can_edit(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def codeitem_edit(request, list_name: str, code: str):
    _require_edit(request.user)
    item = _get_item(request.user, list_name, code)
    form = _item_form(item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.codeitem_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if _is_htmx(request):
                return render(request, "reference/code_list.html#item_row", {"item": item, "can_edit": True})
            messages.success(request, _("コード「%(code)s」を更新しました。") % {"code": item.code})
            return redirect("reference:code_list", list_name=list_name)
    context = {"item": item, "form": form, "list_label": _list_label(list_name), "list_name": list_name}
    if _is_htmx(request):
        return render(request, "reference/code_list.html#item_edit_row", context)
    return render(request, "reference/codeitem_edit.html", context)


def _status_change(request, list_name: str, code: str, *, retire: bool):
    _require_edit(request.user)
    item = _get_item(request.user, list_name, code)
    if retire:
        services.codeitem_retire(actor=request.user, item=item)
        message = _("コード「%(code)s」を廃止しました。記録済みのデータはそのまま残ります。")
    else:
        services.codeitem_reactivate(actor=request.user, item=item)
        message = _("コード「%(code)s」を再び有効にしました。")
    if _is_htmx(request):
        return render(request, "reference/code_list.html#item_row", {"item": item, "can_edit": True})
    messages.success(request, message % {"code": item.code})
    return redirect("reference:code_list", list_name=list_name)


@login_required
@require_POST
def codeitem_retire(request, list_name: str, code: str):
    return _status_change(request, list_name, code, retire=True)


@login_required
@require_POST
def codeitem_reactivate(request, list_name: str, code: str):
    return _status_change(request, list_name, code, retire=False)


# --- Places and industries ----------------------------------------------------------------


@login_required
def municipality_list(request):
    _require_view(request.user)
    prefecture = request.GET.get("prefecture", "").strip()
    query = request.GET.get("q", "").strip()
    municipalities = selectors.municipalities_for(request.user, prefecture=prefecture, query=query)
    context = {
        "page": paginate(request, municipalities),
        "prefectures": selectors.prefectures_for(request.user),
        "prefecture": prefecture,
        "query": query,
    }
    return render(request, "reference/municipality_list.html", context)


@login_required
def industry_list(request):
    _require_view(request.user)
    page = paginate(request, selectors.industries_for(request.user), per_page=20)
    return render(request, "reference/industry_list.html", {"page": page})


# --- Regions ----------------------------------------------------------------------------------


def _get_region(user, prefecture: str, code: str) -> Region:
    region = selectors.regions_for(user, prefecture=prefecture).filter(code=code).first()
    if region is None:
        raise Http404
    return region


@login_required
def region_detail(request, prefecture: str, code: str):
    _require_view(request.user)
    region = _get_region(request.user, prefecture, code)
    return render(
        request, "reference/region_detail.html", {"region": region, "can_edit": selectors.can_edit(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def region_edit(request, prefecture: str, code: str):
    _require_edit(request.user)
    region = _get_region(request.user, prefecture, code)
    initial = {"name": region.name, "order": region.order, "municipalities": list(region.municipalities.all())}
    form = RegionForm(request.POST or None, initial=initial, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            services.region_update(actor=request.user, region=region, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("地域「%(name)s」を更新しました。") % {"name": region.name})
            return redirect(reverse("reference:region_detail", kwargs={"prefecture": prefecture, "code": region.code}))
    if form.is_bound:
        selected = {str(pk) for pk in form.data.getlist("municipalities")}
    else:
        selected = {str(m.pk) for m in initial["municipalities"]}
    current = {}
    for other in selectors.regions_for(request.user, prefecture=prefecture).exclude(pk=region.pk):
        for municipality in other.municipalities.all():
            current[municipality.pk] = other.name
    choices = [
        {"pk": m.pk, "name": m.name, "checked": str(m.pk) in selected, "elsewhere": current.get(m.pk, "")}
        for m in form.fields["municipalities"].queryset
    ]
    return render(request, "reference/region_edit.html", {"region": region, "form": form, "choices": choices})
