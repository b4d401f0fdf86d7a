from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kakehashi.outreach.selectors import programme_roles, programmes_for

from .middleware import SESSION_KEY
from .pagination import paginate
from .selectors import changelog_for, changelog_models


@login_required
def home(request):
    programme = request.programme
    context = {
        "programme": programme,
        "programme_roles": programme_roles(request.user, programme) if programme else set(),
    }
    return render(request, "core/home.html", context)


@login_required
@require_POST
def programme_switch(request):
    programme = get_object_or_404(programmes_for(request.user), pk=request.POST.get("programme"))
    request.session[SESSION_KEY] = programme.pk
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(next_url)


@login_required
def changelog(request):
    if not request.user.has_perm("core.view_changelog"):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    model = request.GET.get("model", "").strip()
    actor = request.GET.get("actor", "").strip()
    page = paginate(request, changelog_for(request.user, query=query, model=model, actor=actor))
    context = {"page": page, "query": query, "model": model, "actor": actor, "models": changelog_models()}
    return render(request, "core/changelog.html", context)


def healthz(request):
    from django.http import JsonResponse

    return JsonResponse({"status": "ok"})
