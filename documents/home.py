"""What waits for a signer: issued documents of the register named to them and not yet signed."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.extensions import PendingAction
from portal.permissions import scope_queryset


def pending_actions(user) -> list[PendingAction]:
    """Lines of the register whose signer is this person's own active account (`may_sign_document`),
    issued and without a signed PDF yet."""
    from .models import OutgoingDocument

    rows = scope_queryset(OutgoingDocument.objects.filter(
        status=OutgoingDocument.Status.ISSUED, signer__user=user, signer__is_active=True, signature__isnull=True,
    ), user).order_by("date", "pk").values_list("pk", "number", "doc_type", "body_code", "summary")
    return [
        PendingAction(key=f"documents.sign:{pk}", verb=_("Ký số"), title=f"{number}-{doc_type}/{body} – {summary}",
                      url=reverse("documents:entry", args=[pk]), kind="documents")
        for pk, number, doc_type, body, summary in rows
    ]
