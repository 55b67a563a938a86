"""A district council of five (chair, vice-chair, secretary, two members), a session, a proposal of
two subjects for the district's certificate of merit, and an effective model of its commune."""

import pytest

from councils import services
from councils.models import AgendaItem, CouncilMember
from models_registry.models import State
from tests.councils.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    ProposalFactory,
    SessionFactory,
    SubjectFactory,
)
from tests.models_registry.factories import DvkModelFactory

ROLES = [CouncilMember.Role.CHAIR, CouncilMember.Role.VICE_CHAIR, CouncilMember.Role.SECRETARY,
         CouncilMember.Role.MEMBER, CouncilMember.Role.MEMBER]
NAMES = ["Trần Văn Chủ", "Lê Thị Phó", "Nguyễn Thị Thư", "Phạm Văn Ủy", "Hoàng Thị Viên"]


@pytest.fixture
def council(tree, make_user):
    c = CouncilFactory(unit=tree["district"])
    for i, (role, name) in enumerate(zip(ROLES, NAMES, strict=True)):
        user = make_user(tree["district"], "canbo", username=f"hd{i}", full_name=name)
        CouncilMemberFactory(council=c, user=user, role=role, order=i)
    return c


@pytest.fixture
def seats(council):
    return list(council.members.select_related("user").order_by("order"))


@pytest.fixture
def secretary(seats):
    return seats[2].user


@pytest.fixture
def proposal(tree, phase):
    p = ProposalFactory(unit=tree["commune"], decider_unit=tree["district"], phase=phase)
    SubjectFactory(proposal=p, unit=tree["commune"], name="Ban Dân vận xã Hàm Đức")
    SubjectFactory(proposal=p, unit=tree["commune"], name="Hội Nông dân xã Hàm Đức")
    return p


@pytest.fixture
def effective_model(tree, phase):
    return DvkModelFactory(unit=tree["commune"], phase=phase, state=State.EVALUATED, is_effective=True,
                           name="Dân vận khéo trong xây dựng nông thôn mới",
                           evaluation_reason="Huy động 2 tỷ đồng làm đường.")


@pytest.fixture
def session(council, secretary):
    return SessionFactory(council=council)


@pytest.fixture
def items(session, secretary, proposal):
    """The two subjects of the proposal on the agenda (online secret ballot)."""
    return [services.item_add(user=secretary, session=session, subject=s) for s in proposal.subjects.order_by("id")]


def open_session(session, secretary, present):
    services.session_open(user=secretary, session=session)
    services.attendance_take(user=secretary, session=session, present_ids={s.pk for s in present})


def vote(item, seats_and_choices):
    for seat, choice in seats_and_choices:
        services.ballot_cast(user=seat.user, item=item, choice=choice)


__all__ = ["AgendaItem"]
