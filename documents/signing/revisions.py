"""The revisions of a signed PDF: where the issued file ends, and what was changed before signing."""

from __future__ import annotations

import io
import re

_EOF = re.compile(rb"%%EOF")
_TRAILING = b" \t\r\n\x00"


def revision_ends(data: bytes, before: int) -> list[int]:
    """Offsets where a revision of the file may end, below `before`: after each '%%EOF' and after
    each byte of the blank run that follows it (generators end a file with LF, CRLF, several or none)."""
    ends = []
    for match in _EOF.finditer(data, 0, before):
        end = match.end()
        ends.append(end)
        while end < before and data[end] in _TRAILING:
            end += 1
            ends.append(end)
    return ends


def _plain(obj):
    """A PDF object as plain Python values, references as (idnum, generation), for comparison."""
    from pyhanko.pdf_utils import generic

    if isinstance(obj, generic.IndirectObject):
        return ("ref", obj.idnum, obj.generation)
    if isinstance(obj, generic.StreamObject):
        return ("stream", {k: _plain(obj.raw_get(k)) for k in obj}, bytes(obj.encoded_data))
    if isinstance(obj, dict):
        return {k: _plain(obj.raw_get(k)) for k in obj}
    if isinstance(obj, list):
        return [
            _plain(obj.raw_get(i)) if hasattr(obj, "raw_get") else _plain(v)
            for i, v in enumerate(obj)
        ]
    return obj


def _is_signature_widget(annot) -> bool:
    annot = annot.get_object()
    field = annot
    for _ in range(8):  # the field type may sit on a parent of the widget
        if field.get("/FT") == "/Sig":
            return annot.get("/Subtype") == "/Widget"
        if "/Parent" not in field:
            return False
        field = field["/Parent"]
    return False


def changes_beyond_signing(signed_part: bytes, base_revision: int) -> list[str]:
    """What the revisions after `base_revision` (up to the first signature) changed beyond signing.

    Allowed: new objects; the catalog gaining /AcroForm, /Extensions, /Perms, /DSS; pages gaining signature widgets in /Annots;
    the document information dictionary and XMP metadata (dates, producer). Anything else — a
    page's content, a font, a new annotation that is not a signature widget — is a change.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(signed_part), strict=False)
    old = reader.get_historical_resolver(base_revision)
    old_trailer = old.trailer_view
    root_ref = old_trailer.raw_get("/Root").reference
    info = old_trailer.raw_get("/Info") if "/Info" in old_trailer else None
    metadata = (
        old_trailer["/Root"].raw_get("/Metadata") if "/Metadata" in old_trailer["/Root"] else None
    )
    tolerated = {r.reference.idnum for r in (info, metadata) if hasattr(r, "reference")}
    changes: list[str] = []
    changed = set()
    for revision in range(base_revision + 1, reader.xrefs.total_revisions):
        changed |= reader.xrefs.explicit_refs_in_revision(revision)
        # An object deleted from the issued file (a page's content stream…) changes what is shown.
        changes += [
            f"object {r.idnum} deleted" for r in reader.xrefs.refs_freed_in_revision(revision)
        ]
    for ref in sorted(changed, key=lambda r: r.idnum):
        if reader.xrefs.get_introducing_revision(ref) > base_revision or ref.idnum in tolerated:
            continue
        before = old.get_object(ref)
        after = reader.get_object(ref)
        if ref.idnum == root_ref.idnum:
            # The form, the PDF extension declaration (PAdES), permissions and validation data.
            allowed = {"/AcroForm", "/Extensions", "/Perms", "/DSS"}
            form = after.get("/AcroForm")
            if form is not None and "/XFA" in form.get_object():
                changes.append("an XFA form (other readers would show other content)")
        elif isinstance(before, dict) and before.get("/Type") == "/Page":
            allowed = {"/Annots"}
            old_annots = {
                (a.idnum, a.generation) for a in before.get("/Annots", []) if hasattr(a, "idnum")
            }
            for annot in after.get("/Annots", []):
                key = (getattr(annot, "idnum", None), getattr(annot, "generation", None))
                if key not in old_annots and not _is_signature_widget(annot):
                    changes.append(f"annotation {key} on page {ref.idnum}")
        else:
            changes.append(f"object {ref.idnum}")
            continue
        keys = (set(before) | set(after)) - allowed
        for key in keys:
            if (
                key not in before
                or key not in after
                or _plain(before.raw_get(key)) != _plain(after.raw_get(key))
            ):
                changes.append(f"{key} of object {ref.idnum}")
    return changes
