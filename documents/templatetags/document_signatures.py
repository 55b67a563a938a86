"""`{% signature_panel entry %}`: the signature of a register line and what the user may do with it."""

from django import template

from portal import permissions as perms
from portal.audit import history_entries

from ..models import DocumentSignature, OutgoingDocument
from ..signing import signing_enabled

register = template.Library()


@register.inclusion_tag("documents/signature_panel.html", takes_context=True)
def signature_panel(context, entry: OutgoingDocument):
    user = context["request"].user
    signature = DocumentSignature.objects.select_related("created_by").filter(entry=entry).first()
    open_for_signing = signature is None and entry.status == OutgoingDocument.Status.ISSUED and bool(entry.kind)
    return {
        "entry": entry,
        "signature": signature,
        "can_sign": open_for_signing and signing_enabled() and perms.may_sign_document(user, entry),
        "can_upload": open_for_signing and perms.may_file_signed_document(user, entry),
        "history_entries": history_entries(signature) if signature is not None else [],
    }
