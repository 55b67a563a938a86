from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, ListView, UpdateView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.audit import history_entries
from portal.permissions import ADMIN, RoleRequiredMixin, require_role, units_visible_to
from portal.tasks import send_enrolment_link
from portal.text import fold
from portal.xlsx import build_xlsx, xlsx_response

from . import security, services
from .forms import (
    EnrolmentCodeForm,
    PortalPasswordResetForm,
    SetPasswordByAdminForm,
    TokenForm,
    UserForm,
)
from .lockout import client_ip
from .models import EnrolmentGrant, User


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {"history_entries": history_entries(request.user, 10)})


def _safe_next(request, default: str) -> str:
    target = request.GET.get("next") or request.POST.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _base(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


@login_required
def otp_verify(request):
    """Enter a TOTP code. With no device yet, enrolment first needs a second proof of the owner:
    a one-time link sent to the account's email, or a code issued by an administrator."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    setup = device is None
    if setup and not security.enrolment_allowed(request):
        return _enrolment_gate(request)
    if setup:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=request.user, name="Ứng dụng xác thực", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if setup:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                request.session.pop(security.SESSION_KEY, None)
                security.enrolment_confirmed(user=request.user)
            otp_login(request, device)
            messages.success(request, _("Đã xác thực hai lớp."))
            return redirect(_safe_next(request, reverse("home")))
        form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
    qr_svg = ""
    if setup:
        import qrcode
        import qrcode.image.svg

        image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        qr_svg = image.to_string(encoding="unicode")
    return render(request, "accounts/otp_verify.html", {"form": form, "setup": setup, "qr_svg": qr_svg})


def _enrolment_gate(request):
    """No device yet and no proof of the owner in this session: send a link, or take an admin's code."""
    code_form = EnrolmentCodeForm(request.POST if request.POST.get("action") == "code" else None)
    if request.method == "POST" and request.POST.get("action") == "link":
        if request.user.email:
            try:
                send_enrolment_link.delay(request.user.pk, _base(request))
            except Exception:  # the broker is down
                messages.error(request, _("Chưa gửi được thư; hãy thử lại sau ít phút."))
            else:
                messages.success(request, _("Đã gửi liên kết đăng ký tới địa chỉ thư điện tử của tài khoản."))
        return redirect(request.get_full_path())
    if request.method == "POST" and code_form.is_valid():
        try:
            security.enrolment_redeem(user=request.user, secret=code_form.cleaned_data["code"],
                                      kind=EnrolmentGrant.Kind.ADMIN)
        except ValidationError as exc:
            code_form.add_error("code", exc)
        else:
            request.session[security.SESSION_KEY] = request.user.pk
            return redirect(request.get_full_path())
    return render(request, "accounts/otp_enrol.html", {"code_form": code_form, "has_email": bool(request.user.email)})


@login_required
def otp_enrol(request, token):
    """The emailed one-time link: opened while signed in as its own account, it allows enrolment."""
    try:
        security.enrolment_redeem(user=request.user, secret=token, kind=EnrolmentGrant.Kind.EMAIL)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        request.session[security.SESSION_KEY] = request.user.pk
    return redirect("accounts:otp_verify")


class AdminOnlyMixin(RoleRequiredMixin):
    required_roles = (ADMIN,)


class UserListView(AdminOnlyMixin, ListView):
    template_name = "accounts/user_list.html"
    paginate_by = 25

    def get_queryset(self):
        qs = User.objects.select_related("unit").prefetch_related("roles").order_by("unit__path", "username")
        q = self.request.GET.get("q", "").strip()
        if q:
            qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(unit__name_folded__contains=fold(q)))
        return qs


class UserDetailView(AdminOnlyMixin, DetailView):
    model = User
    template_name = "accounts/user_detail.html"
    context_object_name = "account"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history_entries"] = history_entries(self.object)
        context["security_events"] = self.object.security_events.select_related("actor")[:20]
        context["has_device"] = TOTPDevice.objects.filter(user=self.object).exists()
        return context


class _UserFormMixin(AdminOnlyMixin):
    model = User
    form_class = UserForm
    template_name = "accounts/user_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["units"] = units_visible_to(self.request.user).filter(is_active=True).order_by("path")
        return kwargs

    def get_success_url(self):
        return reverse("accounts:user_detail", args=[self.object.pk])


class UserCreateView(_UserFormMixin, CreateView):
    def form_valid(self, form):
        response = super().form_valid(form)
        self.object.set_unusable_password()
        self.object.save(update_fields=["password"])
        messages.success(self.request, _("Đã tạo tài khoản. Hãy đặt mật khẩu cho người dùng."))
        return response


class UserUpdateView(_UserFormMixin, UpdateView):
    def form_valid(self, form):
        was_active = form.initial.get("is_active", True)
        response = super().form_valid(form)
        if was_active and not self.object.is_active:
            services.user_deactivate(user=self.object, by=self.request.user)
        messages.success(self.request, _("Đã lưu thay đổi."))
        return response


@login_required
def user_set_password(request, pk):
    require_role(request.user, ADMIN)
    account = get_object_or_404(User, pk=pk)
    form = SetPasswordByAdminForm(request.POST or None, user=account)
    if request.method == "POST" and form.is_valid():
        account.set_password(form.cleaned_data["password"])
        account.save(update_fields=["password"])
        security.unlocked(user=account, by=request.user, note="set password")
        messages.success(request, _('Đã đặt mật khẩu mới cho %(account)s.') % {"account": account})
        return redirect("accounts:user_detail", pk=pk)
    return render(request, "accounts/user_password.html", {"form": form, "account": account})


@login_required
@require_POST
def user_two_factor_reset(request, pk):
    """An administrator removes a person's lost authenticator and may issue an enrolment code."""
    require_role(request.user, ADMIN)
    account = get_object_or_404(User, pk=pk)
    security.two_factor_reset(user=account, by=request.user)
    code = security.enrolment_code_issue(user=account, by=request.user)
    return render(request, "accounts/enrol_code.html", {"account": account, "code": code})


@login_required
def user_deactivate_view(request, pk):
    require_role(request.user, ADMIN)
    account = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        services.user_deactivate(user=account, by=request.user)
        messages.success(request, _('Đã ngừng hoạt động tài khoản %(account)s; các phiên đăng nhập đã kết thúc.') % {"account": account})
        return redirect("accounts:user_detail", pk=pk)
    return render(
        request,
        "components/confirm_delete.html",
        {
            "confirm_title": _('Ngừng hoạt động tài khoản %(account)s?') % {"account": account},
            "confirm_text": _("Người dùng sẽ bị đăng xuất ngay và không đăng nhập được nữa. Dữ liệu của họ được giữ nguyên."),
            "confirm_button": _("Ngừng hoạt động"),
            "cancel_url": reverse("accounts:user_detail", args=[pk]),
        },
    )


USER_HEADERS = ["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Điện thoại", "Chức vụ", "Mã đơn vị", "Vai trò", "Đang hoạt động"]


@login_required
def user_export(request):
    require_role(request.user, ADMIN)
    users = User.objects.select_related("unit").prefetch_related("roles").order_by("unit__path", "username")
    rows = (
        [u.username, u.full_name, u.email, u.phone, u.position, u.unit.code if u.unit else "",
         ", ".join(sorted(u.role_codes)), "có" if u.is_active else "không"]
        for u in users.iterator(chunk_size=2000)
    )
    return xlsx_response(build_xlsx("Người dùng", USER_HEADERS, rows), "nguoi-dung.xlsx")


class PasswordResetView(auth_views.PasswordResetView):
    """Same page and the same work whether or not the address has an account: the request is
    recorded and (within the limits) queued; the worker looks the address up and sends."""

    form_class = PortalPasswordResetForm

    def form_valid(self, form):
        security.password_reset_request(email=form.cleaned_data["email"], client=client_ip(self.request),
                                        base=_base(self.request))
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password from the emailed link also unlocks the account on every client."""

    def form_valid(self, form):
        response = super().form_valid(form)
        security.unlocked(user=self.user, by=None, note="password reset link")
        return response
