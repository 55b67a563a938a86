"""What is prepared before a session runs: the council and its members for a term (administrators),
sessions, their agenda and their evaluators (the secretary or chair, or an administrator)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import permissions as perms
from portal.audit import history_entries

from .. import selectors, services
from ..forms import CouncilForm, EvaluatorForm, ItemAddForm, MemberForm, SessionForm
from ..models import AgendaItem, Council, CouncilMember, Evaluator


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _confirm(request, *, title: str, text: str, button: str, cancel_url: str):
    return render(request, "components/confirm_delete.html", {
        "confirm_title": title, "confirm_text": text, "confirm_button": button, "cancel_url": cancel_url})


# --- The council and its membership (administrators) ------------------------------------------------

@login_required
def council_form(request, pk=None):
    council = selectors.council_detail(request.user, pk) if pk else None
    perms.require_council_admin(request.user, council)
    form = CouncilForm(request.POST or None, instance=council, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            council = services.council_save(user=request.user, council=form.instance)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã lưu Hội đồng."))
            return redirect("councils:council_detail", pk=council.pk)
    return render(request, "councils/form.html", {
        "form": form, "council": council,
        "title": _("Sửa Hội đồng") if council else _("Thành lập Hội đồng thi đua – khen thưởng"),
        "cancel_url": reverse("councils:council_detail", args=[council.pk]) if council else reverse("councils:index"),
    })


@login_required
def member_form(request, pk=None, seat_pk=None):
    """Seat a person (pk = the council) or change a seat (seat_pk)."""
    seat = get_object_or_404(CouncilMember.objects.select_related("council__unit", "user"), pk=seat_pk) \
        if seat_pk else None
    council = seat.council if seat else selectors.council_detail(request.user, pk)
    perms.require_council_admin(request.user, council)
    form = MemberForm(request.POST or None, council=council, seat=seat)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if seat is None:
                services.member_add(user=request.user, council=council, member=data["member"], role=data["role"],
                                    position=data["position"], order=data["order"])
            else:
                services.member_update(user=request.user, seat=seat, role=data["role"], position=data["position"],
                                       order=data["order"])
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã lưu thành viên Hội đồng."))
            return redirect("councils:council_detail", pk=council.pk)
    return render(request, "councils/form.html", {
        "form": form, "council": council,
        "title": _("Sửa thành viên: %(name)s") % {"name": seat.user.full_name} if seat else _("Thêm thành viên"),
        "cancel_url": reverse("councils:council_detail", args=[council.pk]),
    })


@login_required
def member_delete(request, seat_pk):
    seat = get_object_or_404(CouncilMember.objects.select_related("council__unit", "user"), pk=seat_pk)
    perms.require_council_admin(request.user, seat.council)
    back = reverse("councils:council_detail", args=[seat.council_id])
    if request.method == "POST":
        try:
            services.member_remove(user=request.user, seat=seat)
            messages.success(request, _("Đã bỏ %(name)s khỏi Hội đồng.") % {"name": seat.user.full_name})
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect(back)
    return _confirm(request, title=_("Bỏ %(name)s khỏi Hội đồng?") % {"name": seat.user.full_name},
                    text=_("Việc thay đổi được ghi vào lịch sử thành phần Hội đồng."),
                    button=_("Bỏ khỏi Hội đồng"), cancel_url=back)


# --- Sessions, agenda, evaluators (secretary, chair, administrator) -----------------------------------

@login_required
def session_create(request, pk):
    council = selectors.council_detail(request.user, pk)
    perms.require_council_planner(request.user, council)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(user=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã lên lịch phiên họp; các thành viên đã được báo."))
            return redirect("councils:session_detail", pk=session.pk)
    return render(request, "councils/form.html", {
        "form": form, "council": council, "title": _("Lên lịch phiên họp"),
        "cancel_url": reverse("councils:council_detail", args=[council.pk]),
    })


@login_required
def session_delete(request, pk):
    session = selectors.session_detail(request.user, pk)
    perms.require_council_planner(request.user, session.council)
    if request.method == "POST":
        try:
            services.session_delete(user=request.user, session=session)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return redirect("councils:session_detail", pk=pk)
        messages.success(request, _("Đã hủy phiên họp."))
        return redirect("councils:council_detail", pk=session.council_id)
    return _confirm(request, title=_("Hủy phiên họp ngày %(date)s?") % {"date": f"{session.date:%d/%m/%Y}"},
                    text=_("Phiên họp, nội dung xét và phân công chấm điểm của nó sẽ bị xóa; không thể hoàn tác."),
                    button=_("Hủy phiên họp"), cancel_url=reverse("councils:session_detail", args=[pk]))


@login_required
def item_add(request, pk):
    session = selectors.session_detail(request.user, pk)
    perms.require_council_planner(request.user, session.council)
    form = ItemAddForm(request.POST or None, council=session.council)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.item_add(user=request.user, session=session, model=data["model"], subject=data["subject"],
                              method=data["method"])
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã thêm vào nội dung xét."))
            if "another" in request.POST:
                return redirect("councils:item_add", pk=pk)
            return redirect("councils:session_detail", pk=pk)
    return render(request, "councils/item_add.html", {
        "form": form, "session": session, "council": session.council,
        "empty": not form.fields["model"].queryset.exists() and not form.fields["subject"].queryset.exists(),
    })


@login_required
def item_remove(request, pk):
    item = selectors.item_detail(request.user, pk)
    perms.require_council_planner(request.user, item.session.council)
    back = reverse("councils:session_detail", args=[item.session_id])
    if request.method == "POST":
        try:
            services.item_remove(user=request.user, session=item.session, item=item)
            messages.success(request, _("Đã bỏ “%(title)s” khỏi nội dung xét.") % {"title": item.title})
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect(back)
    text = _("Điểm chấm, ý kiến thảo luận và khai báo xung đột lợi ích của nội dung này cũng bị xóa.") \
        if item.kind == AgendaItem.Kind.MODEL else _("Đối tượng trở lại danh sách chờ xét của Hội đồng.")
    return _confirm(request, title=_("Bỏ “%(title)s” khỏi nội dung xét?") % {"title": item.title}, text=text,
                    button=_("Bỏ khỏi nội dung xét"), cancel_url=back)


@login_required
def evaluators(request, pk):
    """The session's evaluators and the form to appoint one more."""
    session = selectors.session_detail(request.user, pk)
    perms.require_council_planner(request.user, session.council)
    form = EvaluatorForm(request.POST or None, council=session.council)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.evaluator_assign(user=request.user, session=session, evaluator=data["evaluator"],
                                      rubric=data["rubric"], is_expert=data["is_expert"])
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã phân công %(name)s chấm điểm.") % {"name": data["evaluator"].full_name})
            return redirect("councils:evaluators", pk=pk)
    return render(request, "councils/evaluators.html", {
        "form": form, "session": session, "council": session.council,
        "evaluators": session.evaluators.select_related("user__unit", "rubric").order_by("id"),
        "model_items": selectors.model_items(session),
    })


@login_required
def evaluator_remove(request, pk):
    evaluator = get_object_or_404(Evaluator.objects.select_related("session__council__unit", "user"), pk=pk)
    session = selectors.session_detail(request.user, evaluator.session_id)
    perms.require_council_planner(request.user, session.council)
    back = reverse("councils:evaluators", args=[session.pk])
    if request.method == "POST":
        try:
            services.evaluator_remove(user=request.user, evaluator=evaluator)
            messages.success(request, _("Đã rút phân công chấm điểm của %(name)s.") % {"name": evaluator.user.full_name})
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect(back)
    return _confirm(request, title=_("Rút phân công chấm điểm của %(name)s?") % {"name": evaluator.user.full_name},
                    text=_("Các điểm đã nhập của người này cho phiên họp sẽ bị xóa."),
                    button=_("Rút phân công"), cancel_url=back)


def council_context(user, council: Council) -> dict:
    """What the council's page shows beyond its members and sessions: who may change what, and the
    history of its membership."""
    return {
        "may_admin": perms.is_admin(user), "may_plan": perms.can_plan_council(user, council),
        "membership_history": selectors.membership_history(council) if perms.is_admin(user) else [],
        "history_entries": history_entries(council) if perms.is_admin(user) else [],
    }
