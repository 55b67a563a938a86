from django.contrib import admin

from .models import DocumentSignature, IssuingProfile, OutgoingDocument, Signer


class SignerInline(admin.TabularInline):
    model = Signer
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(IssuingProfile)
class IssuingProfileAdmin(admin.ModelAdmin):
    """Administrators keep each unit's issuing data, dated like the unit tree."""

    list_display = ["unit", "body", "party_committee", "body_name", "short_code", "place", "valid_from", "valid_to"]
    list_filter = ["body"]
    search_fields = ["unit__name", "unit__code", "party_committee", "body_name", "short_code"]
    autocomplete_fields = ["unit"]
    inlines = [SignerInline]


@admin.register(OutgoingDocument)
class OutgoingDocumentAdmin(admin.ModelAdmin):
    """Read-only: lines are written by issuing (services), so numbers stay as they were given."""

    list_display = ["__str__", "date", "doc_type", "summary", "signer_name", "status", "is_manual"]
    list_filter = ["status", "doc_type", "year", "body_code"]
    search_fields = ["summary", "signer_name", "body_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentSignature)
class DocumentSignatureAdmin(OutgoingDocumentAdmin):
    """Read-only: a signature is kept only by the signing services, after it was verified."""

    list_display = ["entry", "signer_name", "signed_at", "method", "checked_at", "created_by"]
    list_filter = ["method"]
    search_fields = ["signer_name", "certificate_subject", "entry__summary"]
