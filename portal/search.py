"""The site search of the header: models, people, units and documents found by name, with or
without diacritics, each kind through the permission layer that already decides who sees what.

Each kind is a `SearchKind`: a queryset of what the user may see matching every word, and how a
row is shown. Words are folded like every other search of the portal (`portal.text.fold`); tables
that keep a folded column are searched on it (trigram-indexed for models), the others are folded
by the database (`portal.text.folded`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .permissions import CELL, LEADER, STAFF, UNION, has_role, is_admin, units_visible_to
from .text import fold, folded

MAX_WORDS = 8
MIN_LENGTH = 2


def search_words(q: str) -> list[str]:
    """The folded words of a query (at most eight)."""
    return fold(q).split()[:MAX_WORDS]


@dataclass
class Hit:
    title: str
    url: str
    meta: str = ""


@dataclass
class SearchKind:
    key: str
    label: str
    rows: Callable[[object, list[str]], QuerySet]  # (user, words) -> what the user may see
    hit: Callable[[object, object], Hit]  # (user, row) -> how it is shown


def _all_words(field_expr: str, words: list[str]) -> Q:
    q = Q()
    for word in words:
        q &= Q(**{f"{field_expr}__contains": word})
    return q


def _models(user, words):
    from models_registry.selectors import models_visible_to

    return (models_visible_to(user).filter(_all_words("name_folded", words))
            .select_related("unit").order_by("-year", "name_folded", "pk"))


def _model_hit(user, model) -> Hit:
    return Hit(model.name, reverse("models_registry:detail", args=[model.pk]),
               f"{model.unit.name} · {model.year} · {model.get_state_display()}")


def _people(user, words):
    from portal.accounts.models import User

    qs = User.objects.filter(is_active=True)
    if not is_admin(user):
        qs = qs.filter(unit__in=units_visible_to(user))
    name = Q()
    for word in words:
        name &= Q(full_folded__contains=word) | Q(username__icontains=word)
    return (qs.annotate(full_folded=folded("full_name")).filter(name)
            .select_related("unit").order_by("full_name", "pk"))


def _person_hit(user, person) -> Hit:
    # Administrators open the account; everyone else the person's unit, where its people are listed.
    if is_admin(user):
        url = reverse("accounts:user_detail", args=[person.pk])
    elif person.unit_id:
        url = reverse("units:detail", args=[person.unit_id])
    else:
        url = ""
    meta = " · ".join(part for part in (person.position, person.unit.name if person.unit else "") if part)
    return Hit(person.full_name or person.username, url, meta)


def _units(user, words):
    return units_visible_to(user).filter(_all_words("name_folded", words)).select_related("kind").order_by(
        "-is_active", "depth", "name_folded", "pk")


def _unit_hit(user, unit) -> Hit:
    meta = unit.kind.name if unit.kind_id else ""
    if not unit.is_active:
        meta = f"{meta} · {_('đã kết thúc hoạt động')}" if meta else _("đã kết thúc hoạt động")
    return Hit(unit.name, reverse("units:detail", args=[unit.pk]), meta)


def _documents(user, words):
    from documents.models import OutgoingDocument
    from documents.selectors import register_entries_visible_to

    if not has_role(user, LEADER, STAFF, CELL, UNION):
        return OutgoingDocument.objects.none()
    return register_entries_visible_to(user).annotate(summary_folded=folded("summary")).filter(
        _all_words("summary_folded", words))


def _document_hit(user, entry) -> Hit:
    return Hit(f"{entry.symbol} – {entry.summary}", reverse("documents:entry", args=[entry.pk]),
               f"{entry.date:%d/%m/%Y} · {entry.get_status_display()}")


KINDS: dict[str, SearchKind] = {
    kind.key: kind for kind in (
        SearchKind("models", gettext_lazy("Mô hình"), _models, _model_hit),
        SearchKind("people", gettext_lazy("Người"), _people, _person_hit),
        SearchKind("units", gettext_lazy("Đơn vị"), _units, _unit_hit),
        SearchKind("documents", gettext_lazy("Văn bản"), _documents, _document_hit),
    )
}


@dataclass
class ResultGroup:
    kind: SearchKind
    page: Page
    hits: list[Hit]

    @property
    def count(self) -> int:
        return self.page.paginator.count


def search(user, q: str, *, kind: str = "", page: int = 1, per_group: int = 5, per_page: int = 20) -> list[ResultGroup]:
    """The results grouped by kind: the first `per_group` of every kind, or one kind paginated."""
    words = search_words(q)
    if not words or len("".join(words)) < MIN_LENGTH:
        return []
    chosen = [KINDS[kind]] if kind in KINDS else list(KINDS.values())
    size = per_page if kind in KINDS else per_group
    groups = []
    for found in chosen:
        page_obj = Paginator(found.rows(user, words), size).get_page(page if kind in KINDS else 1)
        groups.append(ResultGroup(found, page_obj, [found.hit(user, row) for row in page_obj.object_list]))
    return groups
