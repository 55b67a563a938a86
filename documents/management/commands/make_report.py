import datetime as dt
import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.reporting import REGISTRY
from portal.units.models import Unit


class Command(BaseCommand):
    help = ("Tạo một văn bản PDF hoặc DOCX từ dòng lệnh (cùng mã với báo cáo trên web). Văn bản đã ban hành "
            "mang số, ngày, người ký và nơi nhận của sổ văn bản đi; chưa ban hành là dự thảo.")

    def add_arguments(self, parser):
        parser.add_argument("kind", help="Loại báo cáo: " + ", ".join(sorted(REGISTRY)))
        parser.add_argument("--unit", help="Mã đơn vị (mặc định: đơn vị gốc).")
        parser.add_argument("--year", type=int, help="Năm (mặc định: năm gần nhất có dữ liệu).")
        parser.add_argument("--output", required=True, help="Tệp đầu ra.")
        parser.add_argument("--format", dest="fmt", choices=["pdf", "docx"], default="pdf",
                            help="pdf (mặc định) hoặc docx (chỉnh sửa được).")
        parser.add_argument("--sign", action="store_true",
                            help="Ký số tệp PDF bằng khóa ký số cấu hình cho cổng (DOCUMENT_SIGNING_*), in SHA-256.")
        parser.add_argument("--signer-name", default="",
                            help="Người ký ghi trong khối chữ ký (mặc định: người ký trong sổ văn bản đi).")
        parser.add_argument("--signer-title", default="", help="Thẩm quyền ký, ví dụ “Trưởng ban”.")

    def handle(self, *args, kind, unit, year, output, fmt="pdf", sign=False, signer_name="", signer_title="",
               **options):
        if kind not in REGISTRY:
            raise CommandError(f"Không có loại báo cáo “{kind}”. Có: {', '.join(sorted(REGISTRY))}.")
        report_kind = REGISTRY[kind]
        if unit:
            root = Unit.objects.filter(code=unit).first()
            if root is None:
                raise CommandError(f"Không tìm thấy đơn vị có mã “{unit}”.")
        else:
            root = Unit.objects.filter(depth=1, is_active=True).order_by("path").first()
            if root is None:
                raise CommandError("Chưa có đơn vị nào: hãy nạp dữ liệu trước.")
        if year is None:
            year = (report_kind.latest_year() if report_kind.latest_year else None) or dt.date.today().year
        params = report_kind.cli_params(root, year) if report_kind.cli_params else {"unit_id": root.pk, "year": year}
        if fmt == "docx":
            params = {**params, "format": "docx"}
        if sign and fmt != "pdf":
            raise CommandError("Chỉ ký số được tệp PDF (--format pdf).")
        built = report_kind.build(params, lambda pct: None)
        content = built.content
        if sign:
            from documents.signatures import sign_for_command

            try:
                content, note = sign_for_command(content, kind=kind, params=params, signer_name=signer_name,
                                                 signer_title=signer_title)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        Path(output).write_bytes(content)
        pages = f", {built.pages} trang" if built.pages else ""
        self.stdout.write(f"Đã ghi {output} ({len(content):,} byte{pages}).")
        if sign:
            self.stdout.write(f"Đã ký số: {note}")
            self.stdout.write(f"SHA-256: {hashlib.sha256(content).hexdigest()}")
