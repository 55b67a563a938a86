from django.conf import settings
from django.core.management.base import BaseCommand

from portal.accounts.models import User
from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD_FALLBACK


class Command(BaseCommand):
    help = "In các tài khoản dùng thử và địa chỉ đăng nhập."

    def handle(self, *args, **options):
        password = settings.DEMO_PASSWORD or DEMO_PASSWORD_FALLBACK
        present = dict(User.objects.filter(username__in=DEMO_ACCOUNTS).values_list("username", "unit__name"))
        self.stdout.write(f"Tài khoản dùng thử (mật khẩu: {password}):")
        for username, (name, roles, _position) in DEMO_ACCOUNTS.items():
            if username in present:
                self.stdout.write(f"  {username:<9} {name} — {', '.join(roles)} — {present[username]}")
