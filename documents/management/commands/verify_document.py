"""`manage.py verify_document FILE.pdf`: one line, `valid: …` (exit 0) or `invalid: …` (exit 1)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from documents.signing import ExpectedDocument, verify_pdf


class Command(BaseCommand):
    help = "Kiểm tra chữ ký số của một tệp PDF (tin cậy các chứng thư gốc trong DOCUMENT_TRUST_ANCHORS)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp PDF đã ký")
        parser.add_argument(
            "--expected-sha256",
            default="",
            help="SHA-256 của bản PDF chưa ký do cổng phát hành: tệp phải là đúng văn bản đó",
        )
        parser.add_argument("--reference", default="", help="Số, ký hiệu văn bản (cho thông báo)")

    def handle(self, *args, file, expected_sha256, reference, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            self.stdout.write(
                "invalid: "
                + gettext("Không đọc được tệp %(file)s (%(error)s).")
                % {"file": file, "error": exc.strerror}
            )
            sys.exit(1)
        expected = (
            ExpectedDocument(sha256=expected_sha256, reference=reference)
            if expected_sha256
            else None
        )
        result = verify_pdf(data, expected=expected)
        line = result.line()
        if result.valid and expected is None:
            # A file of the register: name its line and check it is that line's issued document.
            from documents.signatures import entry_for_signed_pdf, expected_document

            entry = entry_for_signed_pdf(result)
            if entry is not None:
                result = verify_pdf(data, expected=expected_document(entry))
                line = result.line()
                if result.valid:
                    line += " " + gettext("[sổ văn bản đi: số %(number)s ngày %(date)s]") % {
                        "number": entry.symbol, "date": entry.date.strftime("%d/%m/%Y")}
        self.stdout.write(line)
        if not result.valid:
            sys.exit(1)
