import os
import time

from django.core.management.base import BaseCommand, CommandError

from portal.demo import SIZES, seed_all
from portal.units.models import Unit


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (deterministic for a seed): --size small|province|nation|nation5 [--scale 0.05]."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--scale", type=float, default=float(os.environ.get("SEED_SCALE", "1")),
                            help="Thu nhỏ số xã, thôn và người theo hệ số này (kiểm tra nhanh cỡ nation5).")
        parser.add_argument("--if-empty", action="store_true", help="Chỉ nạp khi cơ sở dữ liệu còn trống.")

    def handle(self, *args, size, seed, if_empty, scale, **options):
        if not 0 < scale <= 1:
            raise CommandError("--scale phải lớn hơn 0 và không quá 1.")
        if Unit.objects.exists():
            if if_empty:
                self.stdout.write("Cơ sở dữ liệu đã có dữ liệu: bỏ qua việc nạp dữ liệu mẫu.")
                return
            raise CommandError("Cơ sở dữ liệu đã có dữ liệu; hãy dùng một cơ sở dữ liệu trống.")
        started = time.perf_counter()
        self.stdout.write(f"Nạp dữ liệu mẫu cỡ “{size}” (seed {seed}, hệ số {scale:g})…")
        seed_all(size, seed, stdout=self.stdout, scale=scale)
        self.stdout.write(self.style.SUCCESS(f"Xong sau {time.perf_counter() - started:.1f} s."))
