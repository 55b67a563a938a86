"""Reads for documents: the issuing body as of a date, who may sign, the register."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from portal.params import parse_int
from portal.permissions import scope_queryset
from portal.units.models import Unit, UnitPlacement
from portal.units.selectors import ancestors_of

from .models import IssuingProfile, OutgoingDocument, Signer

PLACE_PREFIXES = ("Tỉnh ", "Thành phố ", "Huyện ", "Thị xã ", "Xã ", "Phường ")


@dataclass
class Issuer:
    """The header of a document: the Party committee above, the issuing body, its code and place."""

    party_committee: str
    body_name: str
    short_code: str
    place: str
    profile: IssuingProfile | None = None
    signers: list[Signer] = field(default_factory=list)

    def header(self) -> dict:
        return {"superior": self.party_committee, "issuer": self.body_name, "place": self.place,
                "body_code": self.short_code}


def _in_force(day: dt.date, prefix: str = "") -> Q:
    return ((Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day}))
            & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})))


def chain_as_of(unit: Unit, day: dt.date) -> list[Unit]:
    """`unit` and its superiors as the tree stood on `day`, nearest first; today's chain follows
    (a unit created later still finds the body that issued for its area then)."""
    chain: list[Unit] = []
    placement = UnitPlacement.objects.filter(_in_force(day), unit=unit).values_list("path", flat=True).first()
    if placement:
        prefixes = [placement[:end] for end in range(len(placement), 0, -Unit.steplen)]
        found = {p.path: p.unit for p in UnitPlacement.objects.filter(_in_force(day), path__in=prefixes)
                 .select_related("unit")}
        chain = [found[p] for p in prefixes if p in found]
    for u in reversed(ancestors_of(unit)):
        if all(u.pk != c.pk for c in chain):
            chain.append(u)
    return chain


COMMITTEES = (("Tỉnh ", "Tỉnh ủy "), ("Thành phố ", "Thành ủy "), ("Huyện ", "Huyện ủy "), ("Thị xã ", "Thị ủy "),
              ("Thị trấn ", "Đảng ủy thị trấn "), ("Xã ", "Đảng ủy xã "), ("Phường ", "Đảng ủy phường "))


def committee_of(area_name: str) -> str:
    """The Party committee of an administrative area: "Tỉnh Bình Thuận" -> "Tỉnh ủy Bình Thuận"; "" otherwise."""
    for prefix, committee in COMMITTEES:
        if area_name.startswith(prefix):
            return committee + area_name[len(prefix):]
    return ""


def place_of(chain: list[Unit]) -> str:
    """The place of a unit without a profile: its province's name without the kind."""
    top = chain[-1]
    if top.name == "Toàn quốc" and len(chain) > 1:
        top = chain[-2]
    name = top.name
    for prefix in PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def issuer_as_of(unit: Unit, day: dt.date, body: str = IssuingProfile.Body.LEADERSHIP) -> Issuer:
    """Who issues the documents of `unit` dated `day`: the profile in force then of the nearest unit
    in its chain (for a Party cell's or union committee's papers, `body` names it: the unit's own
    only); without any, the Party committee of the area as the tree says."""
    chain = chain_as_of(unit, day)
    if body != IssuingProfile.Body.LEADERSHIP:
        chain = chain[:1]
    profiles = {}
    for profile in IssuingProfile.objects.filter(_in_force(day), body=body, unit__in=[u.pk for u in chain]).order_by(
            "-valid_from"):
        profiles.setdefault(profile.unit_id, profile)
    for u in chain:
        profile = profiles.get(u.pk)
        if profile is not None:
            signers = list(profile.signers.filter(is_active=True).select_related("user"))
            return Issuer(profile.party_committee, profile.body_name, profile.short_code, profile.place,
                          profile, signers)
    # No profile anywhere up the chain: the Ban Dân vận of an area's Party committee, or an agency
    # under the committee of the area it lies in (never a state unit's name as the upper line).
    for u in chain:
        committee = committee_of(u.name)
        if committee:
            body = "Ban Dân vận" if u.pk == unit.pk else unit.name
            return Issuer(committee, body, unit.code, place_of(chain))
    return Issuer("", unit.name, unit.code, place_of(chain))


def register_entries_visible_to(user) -> QuerySet[OutgoingDocument]:
    """The register lines of the user's subtree, newest first."""
    qs = OutgoingDocument.objects.select_related("unit", "signer", "decision", "signature")
    return scope_queryset(qs, user).order_by("-year", "-date", "-number", "-id")


def register_search(qs: QuerySet[OutgoingDocument], *, q: str = "", year: int | None = None,
                    body_code: str = "", doc_type: str = "") -> QuerySet[OutgoingDocument]:
    """Filter the register: free text over number and summary, year, body, kind."""
    if year:
        qs = qs.filter(year=year)
    if body_code:
        qs = qs.filter(body_code=body_code)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if q:
        text = Q(summary__icontains=q) | Q(signer_name__icontains=q) | Q(recipients__icontains=q)
        head = q.split("-", 1)[0].strip()
        if (number := parse_int(head, None, lo=1, hi=10**9)) is not None:
            text |= Q(number=number)
        qs = qs.filter(text)
    return qs


def issued_entry(kind: str, params: dict) -> OutgoingDocument | None:
    """The register line a document of `kind` with `params` was issued under, if any (the latest)."""
    qs = OutgoingDocument.objects.filter(kind=kind, status=OutgoingDocument.Status.ISSUED)
    if params.get("decision_id"):
        qs = qs.filter(decision_id=params["decision_id"])
    elif params.get("unit_id") and params.get("year"):
        qs = qs.filter(unit_id=params["unit_id"], year=int(params["year"]))
        qs = qs.filter(params__rollup=params["rollup"]) if params.get("rollup") else qs.exclude(
            params__has_key="rollup")
    else:
        return None
    return qs.select_related("signer").order_by("-date", "-id").first()
