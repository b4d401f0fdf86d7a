from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import TokenCreateForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"

    def form_valid(self, form):
        messages.success(self.request, _("パスワードを変更しました。"))
        return super().form_valid(form)

    def get_success_url(self):
        return "/accounts/me/"


@login_required
def account_detail(request):
    form = TokenCreateForm()
    new_token = None
    if request.method == "POST":
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            _token, new_token = services.token_issue(
                actor=request.user, user=request.user, name=form.cleaned_data["name"]
            )
            form = TokenCreateForm()
    context = {"form": form, "new_token": new_token, "tokens": selectors.tokens_for(request.user)}
    return render(request, "accounts/account_detail.html", context)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(selectors.tokens_for(request.user), pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("トークン「%(name)s」を失効させました。") % {"name": token.name})
    return redirect("accounts:detail")
