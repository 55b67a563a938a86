from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from portal.text import nfc
from portal.units.models import Unit
from portal.units.widgets import UnitPickerWidget

from .models import Role, User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa và chữ thường."
        ),
        "inactive": _("Tài khoản này đã ngừng hoạt động."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Đăng nhập"), css_class="w-100"))

    def clean_username(self):
        # AuthenticationForm sets max_length without its validator; an over-long name would reach
        # authenticate() and the lockout log (a 255-character column).
        username = self.cleaned_data.get("username") or ""
        if len(username) > 150:
            raise forms.ValidationError(_("Tên đăng nhập quá dài."))
        return username


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Mã xác thực 6 số"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Xác thực")))

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not (token.isascii() and token.isdigit()):
            raise forms.ValidationError(_("Mã xác thực gồm 6 chữ số."))
        return token


class UserForm(forms.ModelForm):
    roles = forms.ModelMultipleChoiceField(
        queryset=Role.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Vai trò"),
        required=True,
        error_messages={"required": _("Chọn ít nhất một vai trò.")},
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "phone", "position", "unit", "roles", "is_active"]
        widgets = {"unit": UnitPickerWidget}
        labels = {"username": _("Tên đăng nhập"), "email": _("Thư điện tử"), "is_active": _("Đang hoạt động")}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.all()
        self.fields["unit"].required = True
        self.fields["unit"].error_messages["required"] = _("Chọn đơn vị của người dùng.")
        self.fields["full_name"].required = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Lưu")))

    def clean_full_name(self):
        return nfc(self.cleaned_data["full_name"]).strip()


class SetPasswordByAdminForm(forms.Form):
    password = forms.CharField(label=_("Mật khẩu mới"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Đặt mật khẩu")))

    def clean_password(self):
        from django.contrib.auth.password_validation import validate_password

        password = self.cleaned_data["password"]
        validate_password(password, self.user)
        return password


class PortalPasswordResetForm(PasswordResetForm):
    """The reset form whose email is sent by the worker (see `security.password_reset_request`)."""

    email = forms.EmailField(label=_("Thư điện tử"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


def _base_url(base: str = "") -> tuple[str, bool]:
    base = (settings.PORTAL_BASE_URL or base or f"https://{settings.ALLOWED_HOSTS[0]}").rstrip("/")
    scheme, _sep, domain = base.partition("://")
    return domain, scheme == "https"


def send_reset_links(email: str, base: str = "") -> int:
    """Send Django's reset email to every active account of `email`; returns how many were sent."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    users = list(form.get_users(email))
    domain, https = _base_url(base)
    form.save(domain_override=domain, use_https=https,
              subject_template_name="registration/password_reset_subject.txt",
              email_template_name="registration/password_reset_email.html")
    return len(users)


def send_enrolment_email(user_id: int, base: str = "") -> bool:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    from .security import enrolment_link_create

    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return False
    token = enrolment_link_create(user=user)
    domain, https = _base_url(base)
    link = f"{'https' if https else 'http'}://{domain}{reverse('accounts:otp_enrol', args=[token])}"
    body = render_to_string("accounts/enrol_email.txt", {"user": user, "link": link})
    send_mail(_("Dân vận khéo: đăng ký xác thực hai lớp"), body, None, [user.email])
    return True


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(label=_("Mã đăng ký do quản trị viên cấp"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))
