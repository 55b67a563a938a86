"""Thin views: parse input, call one selector or service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.audit import history_entries
from portal.forms import add_service_errors
from portal.params import parse_year
from portal.permissions import has_role, require, require_role, require_unit

from . import ical, selectors, services, workflow
from .forms import (
    FollowUpForm,
    FollowUpTransitionForm,
    InspectionForm,
    PlanForm,
    PlanItemForm,
    TransitionForm,
)
from .models import CalendarFeed, Delivery, FollowUp, PlanItem, PlanItemUpdate

PAGE_SIZE = 25


def _page(request, qs, size=PAGE_SIZE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


# --- Plans -------------------------------------------------------------------------------------------


@login_required
def plan_list(request):
    q = request.GET.get("q", "").strip()
    year = parse_year(request.GET.get("year"))
    if year is not None and not 1900 <= year <= 2100:
        year = None  # a year no plan can have (and that dates cannot hold) filters nothing
    plans = selectors.plans_visible_to(request.user, q=q, year=year).order_by("-issued_on", "-id")
    return render(request, "plans/plan_list.html", {
        "page_obj": _page(request, plans), "q": q, "year": year,
        "years": range(timezone.localdate().year, 2020, -1),
        "may_create": has_role(request.user, *workflow.EDITORS),
    })


@login_required
def plan_detail(request, pk):
    plan = selectors.plan_for(request.user, pk)
    items = selectors.plan_items(plan)
    groups, total = selectors.plan_summary(plan, items)
    for item in items:
        item.transitions = workflow.item_transitions_for(request.user, item)
    sections = []
    for item in items:
        if not sections or sections[-1][0] != item.section:
            sections.append((item.section, []))
        sections[-1][1].append(item)
    return render(request, "plans/plan_detail.html", {
        "plan": plan, "sections": sections, "groups": groups, "total": total,
        "may_edit": workflow.may_edit_plan(request.user, plan.unit),
        "history_entries": history_entries(plan),
    })


@login_required
def plan_create(request):
    require_role(request.user, *workflow.EDITORS)
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = data.pop("unit")
        try:
            plan = services.plan_create(user=request.user, unit=unit, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo kế hoạch."))
            return redirect("plans:plan_detail", plan.pk)
    return render(request, "plans/form.html", {"form": form, "title": _("Tạo kế hoạch")})


@login_required
def plan_update(request, pk):
    plan = selectors.plan_for(request.user, pk)
    require(request.user, plan.unit, *workflow.EDITORS)
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("unit", None)
        try:
            services.plan_update(user=request.user, plan=plan, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu kế hoạch."))
            return redirect("plans:plan_detail", plan.pk)
    return render(request, "plans/form.html", {"form": form, "title": _('Sửa kế hoạch %(number)s') % {"number": plan.number},
                                               "cancel_url": reverse("plans:plan_detail", args=[plan.pk])})


@login_required
def plan_delete(request, pk):
    plan = selectors.plan_for(request.user, pk)
    require(request.user, plan.unit, *workflow.EDITORS)
    if request.method == "POST":
        services.plan_delete(user=request.user, plan=plan)
        messages.success(request, _("Đã xóa kế hoạch."))
        return redirect("plans:plan_list")
    return render(request, "components/confirm_delete.html", {
        "confirm_title": _('Xóa kế hoạch %(number)s?') % {"number": plan.number},
        "confirm_text": _("Kế hoạch và mọi nội dung, cập nhật của nó sẽ bị xóa; không thể hoàn tác."),
        "confirm_button": _("Xóa kế hoạch"), "cancel_url": reverse("plans:plan_detail", args=[plan.pk]),
    })


def _item_for(user, pk) -> PlanItem:
    item = get_object_or_404(PlanItem.objects.select_related("plan__unit__successor"), pk=pk)
    require_unit(user, item.plan.unit)
    return item


@login_required
def item_form(request, plan_pk=None, pk=None):
    item = _item_for(request.user, pk) if pk else None
    plan = item.plan if item else selectors.plan_for(request.user, plan_pk)
    require(request.user, plan.unit, *workflow.EDITORS)
    form = PlanItemForm(request.POST or None, instance=item, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            item = services.item_save(user=request.user, plan=plan, item=item, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu nội dung kế hoạch."))
            return redirect(reverse("plans:plan_detail", args=[plan.pk]) + f"#item-{item.pk}")
    title = _('Sửa nội dung %(item)s') % {"item": item} if item else _('Thêm nội dung vào kế hoạch %(number)s') % {"number": plan.number}
    return render(request, "plans/form.html", {"form": form, "title": title,
                                               "cancel_url": reverse("plans:plan_detail", args=[plan.pk])})


@login_required
def item_delete(request, pk):
    item = _item_for(request.user, pk)
    require(request.user, item.plan.unit, *workflow.EDITORS)
    back = reverse("plans:plan_detail", args=[item.plan_id])
    if request.method == "POST":
        services.item_delete(user=request.user, item=item)
        messages.success(request, _("Đã xóa nội dung."))
        return redirect(back)
    return render(request, "components/confirm_delete.html", {
        "confirm_title": _("Xóa nội dung kế hoạch?"), "confirm_text": str(item),
        "confirm_button": _("Xóa nội dung"), "cancel_url": back,
    })


@login_required
def item_transition(request, pk, name):
    item = _item_for(request.user, pk)
    transition = workflow.ITEM_TRANSITIONS.get(name)
    if transition is None:
        raise Http404
    require(request.user, item.plan.unit, *transition.roles)
    form = TransitionForm(request.POST or None, request.FILES or None, transition=transition,
                          initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.item_transition(user=request.user, item=item, name=name, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _('Đã ghi nhận: %(label)s.') % {"label": transition.label})
            return redirect(reverse("plans:plan_detail", args=[item.plan_id]) + f"#item-{item.pk}")
    return render(request, "plans/form.html", {
        "form": form, "title": f"{transition.label}: {item}", "multipart": True,
        "cancel_url": reverse("plans:plan_detail", args=[item.plan_id]),
    })


@login_required
def evidence_download(request, pk):
    update = get_object_or_404(PlanItemUpdate.objects.select_related("item__plan__unit"), pk=pk)
    require_unit(request.user, update.item.plan.unit)
    if not update.evidence:
        raise Http404
    return FileResponse(update.evidence.open("rb"), as_attachment=True,
                        filename=update.evidence.name.rsplit("/", 1)[-1])


# --- Inspections -----------------------------------------------------------------------------------------


@login_required
def inspection_list(request):
    q = request.GET.get("q", "").strip()
    qs = selectors.inspections_visible_to(request.user, q=q).order_by("-inspected_on", "-id")
    return render(request, "plans/inspection_list.html", {
        "page_obj": _page(request, qs), "q": q,
        "may_create": has_role(request.user, *workflow.EDITORS),
    })


@login_required
def inspection_detail(request, pk):
    inspection = selectors.inspection_for(request.user, pk)
    follow_ups = selectors.follow_ups_of(inspection)
    now = timezone.now()
    for follow_up in follow_ups:
        follow_up.inspection = inspection
        follow_up.overdue = follow_up.is_overdue(now)
        follow_up.transitions = workflow.follow_up_transitions_for(request.user, follow_up)
    return render(request, "plans/inspection_detail.html", {
        "inspection": inspection, "follow_ups": follow_ups,
        "may_edit": workflow.may_edit_plan(request.user, inspection.unit),
        "history_entries": history_entries(inspection),
    })


@login_required
def inspection_form(request, pk=None):
    inspection = selectors.inspection_for(request.user, pk) if pk else None
    if inspection:
        require(request.user, inspection.unit, *workflow.EDITORS)
    else:
        require_role(request.user, *workflow.EDITORS)
    form = InspectionForm(request.POST or None, instance=inspection, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = data.pop("unit", None) or inspection.unit
        try:
            inspection = services.inspection_save(user=request.user, unit=unit, inspection=inspection, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu đợt kiểm tra."))
            return redirect("plans:inspection_detail", inspection.pk)
    return render(request, "plans/form.html", {"form": form, "title": _("Đợt kiểm tra")})


@login_required
def follow_up_create(request, pk):
    inspection = selectors.inspection_for(request.user, pk)
    require(request.user, inspection.unit, *workflow.EDITORS)
    form = FollowUpForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_save(user=request.user, inspection=inspection, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm nội dung khắc phục."))
            return redirect("plans:inspection_detail", inspection.pk)
    return render(request, "plans/form.html", {
        "form": form, "title": _('Nội dung khắc phục sau “%(inspection)s”') % {"inspection": inspection},
        "cancel_url": reverse("plans:inspection_detail", args=[inspection.pk]),
    })


@login_required
def follow_up_transition(request, pk, name):
    follow_up = get_object_or_404(FollowUp.objects.select_related("unit", "inspection__unit"), pk=pk)
    transition = workflow.FOLLOW_UP_TRANSITIONS.get(name)
    if transition is None:
        raise Http404
    if not workflow.may_follow_up(request.user, follow_up, transition):
        require(request.user, follow_up.unit, *transition.roles)
        raise PermissionDenied
    form = FollowUpTransitionForm(request.POST or None, transition=transition)
    if request.method == "POST" and form.is_valid():
        services.follow_up_transition(user=request.user, follow_up=follow_up, name=name,
                                      note=form.cleaned_data["note"])
        messages.success(request, _('Đã ghi nhận: %(label)s.') % {"label": transition.label})
        return redirect("plans:inspection_detail", follow_up.inspection_id)
    return render(request, "plans/form.html", {
        "form": form, "title": f"{transition.label}: {follow_up}",
        "cancel_url": reverse("plans:inspection_detail", args=[follow_up.inspection_id]),
    })


# --- Notifications, deadlines, calendar --------------------------------------------------------------


@login_required
def notifications(request):
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.notifications_for(request.user, unread_only=unread_only)
    return render(request, "plans/notifications.html", {
        "page_obj": _page(request, qs), "unread_only": unread_only,
    })


@login_required
def notification_open(request, pk):
    notification = services.notification_open(user=request.user, notification_id=pk)
    target = notification.url if notification.url.startswith("/") else reverse("plans:notifications")
    return redirect(target)


@login_required
def notification_preferences(request):
    """Per kind of event: an email at once, the daily digest, or the portal only."""
    if request.method == "POST":
        choices = {row.kind: request.POST.get(row.kind, row.delivery) for row in selectors.preference_rows(request.user)}
        try:
            services.preferences_save(user=request.user, choices=choices)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã lưu cách nhận thông báo."))
            return redirect("plans:notification_preferences")
    return render(request, "plans/notification_preferences.html", {
        "groups": selectors.preference_groups(request.user), "deliveries": Delivery.choices,
        "digest_hour": services.digest_hour(),
    })


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _('Đã đánh dấu %(count)s thông báo là đã đọc.') % {"count": count})
    return redirect("plans:notifications")


@login_required
def deadlines(request):
    now = timezone.now()
    found = selectors.upcoming_deadlines(request.user, now=now, days=90)
    return render(request, "plans/deadlines.html", {"deadlines": found, "now": now})


@login_required
def calendar(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = request.build_absolute_uri(reverse("plans:calendar_feed", args=[feed.token])) if feed else ""
    return render(request, "plans/calendar.html", {"feed": feed, "feed_url": feed_url})


@login_required
@require_POST
def calendar_renew(request):
    services.calendar_feed_renew(user=request.user)
    messages.success(request, _("Đã tạo địa chỉ lịch mới; địa chỉ cũ (nếu có) không còn dùng được."))
    return redirect("plans:calendar")


@login_required
def calendar_revoke(request):
    if request.method == "POST":
        services.calendar_feed_revoke(user=request.user)
        messages.success(request, _("Đã thu hồi địa chỉ lịch."))
        return redirect("plans:calendar")
    return render(request, "components/confirm_delete.html", {
        "confirm_title": _("Thu hồi địa chỉ lịch?"),
        "confirm_text": _("Ứng dụng lịch đang dùng địa chỉ này sẽ không cập nhật được nữa."),
        "confirm_button": _("Thu hồi"), "cancel_url": reverse("plans:calendar"),
    })


@never_cache
@require_GET
def calendar_feed(request, token):
    """The iCalendar feed: public by its secret token, which the owner can renew or revoke."""
    feed = CalendarFeed.objects.select_related("user__unit").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > dt.timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    body = ical.calendar_for(feed.user, now=now, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="dan-van-kheo.ics"'
    return response
