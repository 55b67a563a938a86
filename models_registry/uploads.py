"""Checking and cleaning uploaded evidence before it is stored.

The type is read from the content (magic bytes, and for DOCX/XLSX the members of the zip), never
from the name: a renamed .exe is refused. Images are re-encoded with Pillow, which drops their
metadata (GPS location included); a thumbnail is made. Decompression bombs and SVG are refused.
"""

from __future__ import annotations

import io
import os
import uuid
import warnings
import zipfile
from dataclasses import dataclass

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

IMAGE_MIMES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
ZIP_MIMES = {
    "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_SIZE = (480, 360)
# An image larger than this (in pixels) is refused: a small file can unpack into gigabytes.
MAX_IMAGE_PIXELS = 50_000_000
ACCEPT = ".jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx"
ALLOWED_TEXT = gettext_lazy("ảnh JPEG, PNG, WebP; PDF; Word (.docx); Excel (.xlsx)")


@dataclass
class CleanFile:
    kind: str  # Attachment.Kind value
    content_type: str
    name: str
    content: ContentFile
    thumbnail: ContentFile | None = None

    @property
    def size(self) -> int:
        return self.content.size


def _mb(n: int) -> str:
    return f"{n / 1_048_576:.0f} MB" if n >= 1_048_576 else f"{n / 1024:.0f} KB"


def _safe_stem(name: str) -> str:
    stem = os.path.splitext(os.path.basename(name or "tep"))[0][:60]
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem) or "tep"


def _clean_image(data: bytes, fmt: str, name: str) -> CleanFile:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.width * probe.height > MAX_IMAGE_PIXELS:
                    raise ValidationError(_('Ảnh “%(name)s” quá lớn (số điểm ảnh vượt giới hạn).') % {"name": name})
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ValidationError(_('Ảnh “%(name)s” quá lớn (số điểm ảnh vượt giới hạn).') % {"name": name}) from exc
        except Exception as exc:  # Pillow raises many kinds for a broken file
            raise ValidationError(_('Không đọc được ảnh “%(name)s”: tệp bị hỏng.') % {"name": name}) from exc
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # Saving a fresh image writes no EXIF/XMP: the location and camera data are gone.
    out = io.BytesIO()
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P" and image.getpalette():
        clean.putpalette(image.getpalette())
    save_kwargs = {"quality": 88} if fmt in ("JPEG", "WEBP") else {}
    clean.save(out, fmt, **save_kwargs)
    thumb = clean.convert("RGB") if clean.mode not in ("RGB", "L") else clean.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, "JPEG", quality=80)
    stem = f"{_safe_stem(name)}-{uuid.uuid4().hex[:8]}"
    return CleanFile(
        kind="image",
        content_type=f"image/{fmt.lower()}",
        name=name,
        content=ContentFile(out.getvalue(), name=f"{stem}.{EXTENSIONS[fmt]}"),
        thumbnail=ContentFile(thumb_out.getvalue(), name=f"{stem}-nho.jpg"),
    )


def _office_kind(data: bytes, name: str) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if sum(info.file_size for info in archive.infolist()) > 20 * settings.UPLOAD_MAX_FILE_BYTES:
                raise ValidationError(_('Tệp “%(name)s” giải nén ra quá lớn.') % {"name": name})
    except zipfile.BadZipFile as exc:
        raise ValidationError(_('Tệp “%(name)s” bị hỏng.') % {"name": name}) from exc
    if "word/document.xml" in names:
        return "docx", DOCX_MIME
    if "xl/workbook.xml" in names:
        return "xlsx", XLSX_MIME
    raise ValidationError(_('Tệp “%(name)s” không thuộc loại được nhận (%(ALLOWED_TEXT)s).') % {"name": name, "ALLOWED_TEXT": ALLOWED_TEXT})


def clean_upload(upload) -> CleanFile:
    """Check one uploaded file and return its cleaned content, or raise ValidationError (Vietnamese)."""
    name = os.path.basename(upload.name or "tep")
    limit = settings.UPLOAD_MAX_FILE_BYTES
    if upload.size > limit:
        raise ValidationError(_('Tệp “%(name)s” quá lớn (%(value)s); tối đa %(value2)s mỗi tệp.') % {"name": name, "value": _mb(upload.size), "value2": _mb(limit)})
    upload.seek(0)
    data = upload.read()
    guess = filetype.guess(data)
    mime = guess.mime if guess else None
    if mime in IMAGE_MIMES:
        return _clean_image(data, IMAGE_MIMES[mime], name)
    stem = f"{_safe_stem(name)}-{uuid.uuid4().hex[:8]}"
    if mime == "application/pdf":
        return CleanFile("pdf", mime, name, ContentFile(data, name=f"{stem}.pdf"))
    if mime in ZIP_MIMES:
        kind, content_type = _office_kind(data, name)
        return CleanFile(kind, content_type, name, ContentFile(data, name=f"{stem}.{kind}"))
    raise ValidationError(_('Tệp “%(name)s” không thuộc loại được nhận (%(ALLOWED_TEXT)s); loại tệp được kiểm tra theo nội dung.') % {"name": name, "ALLOWED_TEXT": ALLOWED_TEXT})


def check_total(existing_bytes: int, new_files: list[CleanFile]) -> None:
    """Refuse when a model's attachments would exceed the per-model limit."""
    limit = settings.UPLOAD_MAX_RECORD_BYTES
    total = existing_bytes + sum(f.size for f in new_files)
    if total > limit:
        raise ValidationError(
            _('Tổng dung lượng tệp đính kèm (%(value)s) vượt giới hạn %(value2)s cho mỗi mô hình.') % {"value": _mb(total), "value2": _mb(limit)}
        )


class CheckedFileField(forms.FileField):
    """A form's single-file upload through the same checks as model evidence: its cleaned value is
    the cleaned content (type read from the bytes, images re-encoded without metadata, a safe name).

    Every upload of the portal goes through `clean_upload`, either through this field or through the
    attachments of a model.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", gettext_lazy("Nhận %(types)s; tối đa %(size)s mỗi tệp.") % {
            "types": ALLOWED_TEXT, "size": _mb(settings.UPLOAD_MAX_FILE_BYTES)})
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return upload
        return clean_upload(upload).content
