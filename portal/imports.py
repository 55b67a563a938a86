"""Excel imports of units and users: a preview with row-level errors, then all rows or none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from portal.accounts.models import Role, RoleCode, User
from portal.permissions import unit_in_scope
from portal.units.models import Unit, UnitKind
from portal.units.services import unit_create
from portal.xlsx import read_xlsx

from .models import ImportBatch


@dataclass
class Row:
    number: int
    data: dict
    errors: list[str] = field(default_factory=list)
    unit_problem: bool = False  # the row's unit is missing, unknown or ended: the reviewer may pick one
    unit_chosen: int | None = None  # the unit the reviewer picked for this row
    unit_in_file: str = ""  # the code the file gave, when a picked unit replaced it


def ended_error(code: str, unit: Unit) -> str:
    """The file names a unit that has ended: say when, and which unit took over its work."""
    successor = unit.current_successor()
    return (
        gettext("Đơn vị “%(code)s” đã kết thúc hoạt động (ngày cuối cùng hoạt động: %(last)s).")
        % {"code": code, "last": unit.valid_to.strftime("%d/%m/%Y") if unit.valid_to else "—"}
        + (" " + gettext("Hãy dùng mã đơn vị kế thừa “%(code)s” (%(name)s).")
           % {"code": successor.code, "name": successor.name} if successor else "")
    )


class UnitImporter:
    unit_column = "Mã đơn vị cấp trên"
    headers = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên", "Hiệu lực từ ngày"]
    required = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị"]

    def validate(self, rows: list[Row]) -> None:
        kinds = {k.code: k for k in UnitKind.objects.all()}
        kinds.update({k.name.lower(): k for k in kinds.values()})
        codes_in_file: set[str] = set()
        existing = set(Unit.objects.filter(code__in=[str(r.data.get("Mã đơn vị") or "") for r in rows]).values_list("code", flat=True))
        parents = {u.code: u for u in Unit.objects.filter(code__in=[str(r.data.get("Mã đơn vị cấp trên") or "") for r in rows])}
        today = timezone.localdate()
        for row in rows:
            data = row.data
            for name in self.required:
                if not str(data.get(name) or "").strip():
                    row.errors.append(f"Thiếu “{name}”.")
            code = str(data.get("Mã đơn vị") or "").strip()
            if code and (code in existing):
                row.errors.append(f"Mã đơn vị “{code}” đã có trong hệ thống.")
            if code and code in codes_in_file:
                row.errors.append(f"Mã đơn vị “{code}” bị lặp trong tệp.")
            codes_in_file.add(code)
            kind = str(data.get("Loại đơn vị") or "").strip()
            if kind and kind not in kinds and kind.lower() not in kinds:
                row.errors.append(f"Loại đơn vị “{kind}” không tồn tại.")
            parent = str(data.get("Mã đơn vị cấp trên") or "").strip()
            if parent and parent not in parents and parent not in codes_in_file - {code}:
                row.errors.append(f"Không tìm thấy đơn vị cấp trên “{parent}” (phải có sẵn hoặc ở dòng phía trên).")
                row.unit_problem = True
            elif parent in parents and parents[parent].ended_on(today):
                # A new unit is not placed under one that has ended: the file names its successor.
                row.errors.append(ended_error(parent, parents[parent]))
                row.unit_problem = True
            date = data.get("Hiệu lực từ ngày")
            if date not in (None, "") and not isinstance(date, dt.date):
                try:
                    data["Hiệu lực từ ngày"] = dt.datetime.strptime(str(date), "%d/%m/%Y").date()
                except ValueError:
                    row.errors.append(f"Ngày “{date}” không đúng dạng dd/mm/yyyy.")

    def save(self, rows: list[Row], user) -> int:
        kinds = {k.code: k for k in UnitKind.objects.all()}
        kinds.update({k.name.lower(): k for k in list(kinds.values())})
        for row in rows:
            data = row.data
            parent_code = str(data.get("Mã đơn vị cấp trên") or "").strip()
            parent = Unit.objects.get(code=parent_code) if parent_code else None
            kind_key = str(data["Loại đơn vị"]).strip()
            unit_create(
                parent=parent,
                code=str(data["Mã đơn vị"]).strip(),
                name=str(data["Tên đơn vị"]).strip(),
                kind=kinds.get(kind_key) or kinds[kind_key.lower()],
                valid_from=data.get("Hiệu lực từ ngày") or None,
                user=user,
            )
        return len(rows)


class UserImporter:
    unit_column = "Mã đơn vị"
    headers = ["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Mã đơn vị", "Vai trò", "Chức vụ"]
    required = ["Tên đăng nhập", "Họ và tên", "Mã đơn vị", "Vai trò"]

    @staticmethod
    def _roles(text: str) -> tuple[list[str], list[str]]:
        by_label = {str(label).lower(): code for code, label in RoleCode.choices}
        codes, unknown = [], []
        for part in [p.strip() for p in str(text or "").replace(";", ",").split(",") if p.strip()]:
            code = part if part in RoleCode.values else by_label.get(part.lower())
            (codes if code else unknown).append(code or part)
        return codes, unknown

    def validate(self, rows: list[Row]) -> None:
        from django.core.validators import validate_email

        names = [str(r.data.get("Tên đăng nhập") or "").strip() for r in rows]
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        by_code = {u.code: u for u in Unit.objects.filter(code__in=[str(r.data.get("Mã đơn vị") or "") for r in rows])
                   .select_related("successor")}
        units = set(by_code)
        today = timezone.localdate()
        seen: set[str] = set()
        username_field = User._meta.get_field("username")
        for row in rows:
            data = row.data
            for name in self.required:
                if not str(data.get(name) or "").strip():
                    row.errors.append(f"Thiếu “{name}”.")
            username = str(data.get("Tên đăng nhập") or "").strip()
            if username:
                try:
                    for validator in username_field.validators:
                        validator(username)
                except ValidationError:
                    row.errors.append(f"Tên đăng nhập “{username}” chỉ được gồm chữ không dấu, số và @/./+/-/_.")
                if username in existing:
                    row.errors.append(f"Tên đăng nhập “{username}” đã có.")
                if username in seen:
                    row.errors.append(f"Tên đăng nhập “{username}” bị lặp trong tệp.")
                seen.add(username)
            email = str(data.get("Thư điện tử") or "").strip()
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    row.errors.append(f"Thư điện tử “{email}” không hợp lệ.")
            unit = str(data.get("Mã đơn vị") or "").strip()
            if not unit:
                row.unit_problem = True
            elif unit not in units:
                row.errors.append(f"Không tìm thấy đơn vị “{unit}”.")
                row.unit_problem = True
            elif by_code[unit].ended_on(today):
                # People are not imported into a unit that has ended: the file names its successor.
                row.errors.append(ended_error(unit, by_code[unit]))
                row.unit_problem = True
            _, unknown = self._roles(data.get("Vai trò"))
            if unknown:
                row.errors.append("Vai trò không tồn tại: " + ", ".join(unknown) + ".")

    def save(self, rows: list[Row], user) -> int:
        roles = {r.code: r for r in Role.objects.all()}
        units = {u.code: u for u in Unit.objects.filter(code__in=[str(r.data["Mã đơn vị"]).strip() for r in rows])}
        for row in rows:
            data = row.data
            account = User(
                username=str(data["Tên đăng nhập"]).strip(),
                full_name=str(data["Họ và tên"]).strip(),
                email=str(data.get("Thư điện tử") or "").strip(),
                position=str(data.get("Chức vụ") or "").strip(),
                unit=units[str(data["Mã đơn vị"]).strip()],
            )
            account.set_unusable_password()
            account.save()
            codes, _ = self._roles(data["Vai trò"])
            account.roles.set([roles[c] for c in codes])
        return len(rows)


IMPORTERS = {ImportBatch.Kind.UNITS: UnitImporter, ImportBatch.Kind.USERS: UserImporter}


def parse_batch(batch: ImportBatch) -> list[Row]:
    """Read and validate every row of a stored batch (the file was checked when uploaded), with the
    units the reviewer picked in place of the file's: a row's own choice first, else the batch's
    choice for every row whose unit could not be used."""
    importer = IMPORTERS[batch.kind]()
    upload = SimpleUploadedFile(batch.filename, bytes(batch.content))
    rows = [Row(number, data) for number, data in read_xlsx(upload, importer.required)]
    choices = {str(k): v for k, v in (batch.unit_choices or {}).items()}
    codes = dict(Unit.objects.filter(pk__in=set(choices.values())).values_list("pk", "code"))

    def choose(row: Row, pk: int) -> None:
        if pk in codes:
            row.unit_in_file = str(row.data.get(importer.unit_column) or "").strip()
            row.data[importer.unit_column] = codes[pk]
            row.unit_chosen = pk

    for row in rows:
        if str(row.number) in choices:
            choose(row, choices[str(row.number)])
    importer.validate(rows)
    if choices.get("all") in codes:
        pending = [row for row in rows if row.unit_problem and row.unit_chosen is None]
        for row in pending:
            choose(row, choices["all"])
        if pending:
            for row in rows:
                row.errors, row.unit_problem = [], False
            importer.validate(rows)
    return rows


def import_choose_units(*, batch: ImportBatch, user, choices: dict[str, Unit | None]) -> ImportBatch:
    """Record the units the reviewer picked for some rows ("<row number>") or for the batch ("all").

    Only units of the reviewer's subtree that have not ended; an empty choice removes the row's pick.
    Raises ValidationError naming the successor of an ended unit.
    """
    for unit in choices.values():
        if unit is None:
            continue
        if not unit_in_scope(user, unit):
            raise ValidationError(gettext("Đơn vị đã chọn nằm ngoài phạm vi của bạn."))
        if unit.ended_on(timezone.localdate()):
            raise ValidationError(ended_error(unit.code, unit))
    batch.unit_choices = {key: unit.pk for key, unit in choices.items() if unit is not None}
    batch.save(update_fields=["unit_choices"])
    return batch


def import_upload(*, kind: str, upload, user) -> ImportBatch:
    """Check an uploaded file (type by content, size, columns) and keep it for the preview."""
    importer = IMPORTERS[kind]()
    data = upload.read()
    upload.seek(0)
    rows = read_xlsx(upload, importer.required)  # raises ValidationError with a Vietnamese message
    if not rows:
        raise ValidationError("Tệp không có dòng dữ liệu nào.")
    return ImportBatch.objects.create(
        kind=kind, filename=upload.name[:255], content=data, created_by=user, row_count=len(rows)
    )


@transaction.atomic
def import_commit(*, batch: ImportBatch, user) -> int:
    """Save every row of `batch`, or none when any row is wrong (raises ValidationError)."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PENDING:
        raise ValidationError("Tệp này đã được xử lý.")
    rows = parse_batch(batch)
    bad = [row for row in rows if row.errors]
    if bad:
        raise ValidationError(f"Có {len(bad)} dòng lỗi: không dòng nào được lưu.")
    saved = IMPORTERS[batch.kind]().save(rows, user)
    batch.status = ImportBatch.Status.DONE
    batch.content = b""
    batch.save(update_fields=["status", "content"])
    return saved


def template_workbook(kind: str) -> bytes:
    from portal.xlsx import build_xlsx

    return build_xlsx("Mẫu", IMPORTERS[kind].headers, [])


__all__ = ["import_upload", "import_commit", "import_choose_units", "parse_batch", "template_workbook"]
