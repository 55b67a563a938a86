"""Safe to double-click: every form POST acts once per rendered form.

Each rendered `{% csrf_token %}` also writes a hidden one-time token (`_submission`): the portal
overrides the tag (TEMPLATES builtins), so every form of every template (crispy forms and the admin
included) carries one without anyone remembering to add it. A button outside a form (htmx) adds
`{% submission_field %}` to its form or `hx-vals='{"_submission": "{% submission_token %}"}'`.

`OnceSubmissionMiddleware` claims the token before the view runs (a unique row, committed at once):
- the first request does the work; its answer (a redirect's target) is recorded;
- a second request with the same token (double click, resent POST, second tab) does nothing: it waits
  for the first to finish and is redirected where the first went, with a note that the form was
  already sent;
- when the first request failed (4xx/5xx or an exception) the claim is released, so correcting and
  resending works.
A POST without a token (another program, the tests' direct posts) is processed as before; where a
record has a natural key (a plan's number, one pledge a year) a database constraint holds as well.
"""

from __future__ import annotations

import re
import secrets
import time

from django import template
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

FIELD = "_submission"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
# How long a duplicate waits for the first request's outcome before giving up.
WAIT_SECONDS = 15.0

register = template.Library()


def new_token() -> str:
    return secrets.token_urlsafe(24)


class _CsrfAndSubmissionNode(CsrfTokenNode):
    def render(self, context):
        csrf = super().render(context)
        if not csrf:  # no request (an email, a PDF): nothing to submit
            return csrf
        return csrf + format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


@register.tag(name="csrf_token")
def csrf_token(parser, token):
    """Django's tag plus the form's one-time submission token."""
    return _CsrfAndSubmissionNode()


@register.simple_tag
def submission_token() -> str:
    """A fresh token, for a button that posts without a form (htmx `hx-vals`)."""
    return new_token()


@register.simple_tag
def submission_field():
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


def _claim(token: str, request):
    """(row, True) when this request claimed the token, (row, False) when another one had it."""
    from .models import FormSubmission

    user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(token=token, user=user, path=request.path[:255]), True
    except IntegrityError:
        return FormSubmission.objects.filter(token=token).first(), False


def _back(request) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return "/"


class OnceSubmissionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not _TOKEN.fullmatch(token or ""):
            return self.get_response(request)
        claim, mine = _claim(token, request)
        if not mine:
            return self._duplicate(request, claim)
        try:
            response = self.get_response(request)
        except Exception:
            claim.delete()
            raise
        if response.status_code >= 400:
            claim.delete()
        else:
            claim.status = response.status_code
            if isinstance(response, HttpResponseRedirect) or 300 <= response.status_code < 400:
                claim.location = response.get("Location", "")[:1000]
            claim.save(update_fields=["status", "location"])
        return response

    def _duplicate(self, request, claim):
        from .models import FormSubmission

        deadline = time.monotonic() + WAIT_SECONDS
        while claim is not None and claim.status is None and time.monotonic() < deadline:
            time.sleep(0.1)
            claim = FormSubmission.objects.filter(pk=claim.pk).first()
        if claim is None:  # the first request failed and let go: this one may try again
            return self.__call__(request)
        messages.info(request, _("Biểu mẫu này đã được gửi; hệ thống chỉ ghi nhận một lần."))
        return redirect(claim.location or _back(request))
