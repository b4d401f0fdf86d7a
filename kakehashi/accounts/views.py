import time

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import mfa, selectors, services, throttle
from .forms import MfaCodeForm, MfaSetupForm, TokenCreateForm

LOCKED_MESSAGE = gettext_lazy(
    "ログインの失敗が続いたため、しばらくログインできません。15分ほど待ってからもう一度お試しください。"
)


class LoginView(auth_views.LoginView):
    """Password first; then, for users with an authenticator (or who must have one), the second step.

    Failures are counted per username and address (`throttle`); the user is signed in only after the code.
    """

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if throttle.is_locked(username, throttle.client_ip(request)):
            # Not even checked: a locked-out guesser learns nothing about the password.
            form = self.get_form_class()(request, initial={"username": username})
            return self.render_to_response(self.get_context_data(form=form, locked=LOCKED_MESSAGE), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.register_failure(self.request.POST.get("username", ""), throttle.client_ip(self.request))
        return super().form_invalid(form)

    def form_valid(self, form):
        user = form.get_user()
        throttle.reset(self.request.POST.get("username", ""), throttle.client_ip(self.request))
        enrolled = mfa.has_mfa(user)
        if not enrolled and not mfa.mfa_required(user):
            return super().form_valid(form)
        self.request.session[mfa.PENDING_KEY] = {
            "user_id": user.pk,
            "backend": user.backend,
            "at": int(time.time()),
            "next": self.get_success_url(),
        }
        return redirect("accounts:mfa_verify" if enrolled else "accounts:mfa_setup")


def _pending(request):
    """The half-signed-in user (password checked, code not yet), or None when there is none or it is stale."""
    data = request.session.get(mfa.PENDING_KEY)
    if not data or time.time() - data.get("at", 0) > mfa.PENDING_MAX_AGE:
        request.session.pop(mfa.PENDING_KEY, None)
        return None, None
    user = get_user_model().objects.filter(pk=data["user_id"], is_active=True).first()
    return user, data


def _finish_login(request, user, data) -> str:
    request.session.pop(mfa.PENDING_KEY, None)
    request.session.pop(mfa.SETUP_SECRET_KEY, None)
    login(request, user, backend=data["backend"])
    next_url = data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return next_url


@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    """The second step of signing in: the authenticator's code (or a recovery code)."""
    user, data = _pending(request)
    if user is None:
        return redirect("accounts:login")
    form = MfaCodeForm(request.POST or None)
    ip = throttle.client_ip(request)
    status = 200
    if request.method == "POST" and form.is_valid():
        if throttle.is_locked(user.username, ip):
            request.session.pop(mfa.PENDING_KEY, None)
            messages.error(request, LOCKED_MESSAGE)
            return redirect("accounts:login")
        used = services.mfa_verify(user=user, code=form.cleaned_data["code"])
        if used:
            throttle.reset(user.username, ip)
            next_url = _finish_login(request, user, data)
            if used == "recovery":
                messages.warning(
                    request,
                    _("リカバリーコードでログインしました。使ったコードはもう使えません。残りの数に注意してください。"),
                )
            return HttpResponseRedirect(next_url)
        throttle.register_failure(user.username, ip)
        form.add_error("code", _("確認コードが正しくありません。"))
        status = 400
    return render(request, "accounts/mfa_verify.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    """Register an authenticator app: scan the QR code, confirm with a code, keep the recovery codes.

    For a signed-in user (voluntary, or to move to a new phone) or for a half-signed-in user who must use one.
    """
    data = None
    if request.user.is_authenticated:
        user = request.user
    else:
        user, data = _pending(request)
        if user is None:
            return redirect("accounts:login")
    secret = request.session.get(mfa.SETUP_SECRET_KEY)
    if not secret or request.method == "GET":
        secret = mfa.new_secret()
        request.session[mfa.SETUP_SECRET_KEY] = secret
    form = MfaSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.mfa_enroll(actor=user, user=user, secret=secret, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            request.session.pop(mfa.SETUP_SECRET_KEY, None)
            next_url = _finish_login(request, user, data) if data is not None else reverse("accounts:detail")
            return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes, "next_url": next_url})
    uri = mfa.provisioning_uri(user, secret)
    context = {
        "form": form,
        "qr": mfa.qr_svg(uri),
        "secret": secret,
        "required": mfa.mfa_required(user),
        "signing_in": data is not None,
    }
    return render(request, "accounts/mfa_setup.html", context)


@login_required
@require_POST
def mfa_recovery_codes(request):
    if not mfa.has_mfa(request.user):
        return redirect("accounts:mfa_setup")
    codes = services.mfa_recovery_codes_regenerate(actor=request.user, user=request.user)
    return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes, "next_url": reverse("accounts:detail")})


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
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": selectors.tokens_for(request.user),
        "mfa_enabled": mfa.has_mfa(request.user),
        "mfa_required": mfa.mfa_required(request.user),
        "recovery_left": request.user.recovery_codes.filter(used_at__isnull=True).count(),
    }
    return render(request, "accounts/account_detail.html", context)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(selectors.tokens_for(request.user), pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("トークン「%(name)s」を失効させました。") % {"name": token.name})
    return redirect("accounts:detail")
