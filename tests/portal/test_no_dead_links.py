"""No page shows a link that answers 403 to the person who sees it.

Each role signs in, starts at the home page and follows every link inside the portal (a few pages
of each URL shape, so ten models do not mean ten visits): none answers 403. Links are built from
the permission layer, so a button is shown only to who may use it.
"""

import datetime as dt
import re
from collections import deque
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from awards.pledges import services as aw
from models_registry.models import State
from plans.services import notify
from tests.awards.factories import PledgeFactory
from tests.models_registry.factories import DvkModelFactory, ProgressReportFactory

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db

SKIP = re.compile(r"^/(static|media|django-admin|i18n|accounts/logout|healthz)|\.(xlsx|pdf|ics|zip|csv)(\?|$)")
PER_SHAPE = 2
# Every state of a model shows other buttons: visit them all.
PER_SHAPE_OVERRIDE = {"/models/N/": 20, "/awards/pledges/N/": 4}
MAX_PAGES = 220


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self.found.append(href.split("#")[0])


def shape(url: str) -> str:
    path = url.split("?")[0]
    return re.sub(r"/\d+", "/N", path) + ("?" if "?" in url else "")


@pytest.fixture
def world(tree, people, make_user, phase):
    """A year's records in every state, so the pages show their buttons."""
    commune_staff = make_user(tree["commune"], "canbo", username="canbo_x")
    commune_leader = make_user(tree["commune"], "lanhdao", username="lanhdao_x")
    for state in State.values:
        DvkModelFactory(unit=tree["district"], phase=phase, state=state, created_by=people["staff"],
                        is_effective=True if state in ("evaluated", "recognised") else None,
                        recognition_level=2 if state == "recognised" else None)
        DvkModelFactory(unit=tree["commune"], phase=phase, state=state, created_by=commune_staff)
    ProgressReportFactory(model=DvkModelFactory(unit=tree["district"], phase=phase, state="registered"))
    contents = aw.contents_ensure_defaults(phase=phase)
    PledgeFactory(person=people["staff"], content=contents[0], phase=phase, status="submitted")
    PledgeFactory(person=people["cell"], content=contents[0], phase=phase, status="accepted")
    rnd = aw.round_create(user=people["union"], year=2025, quarter=1)
    aw.round_open(user=people["union"], rnd=rnd)
    for user in (people["staff"], commune_staff, people["leader"]):
        notify(user=user, title="Thông báo thử", body="", url="/models/", email=False)
    return {**people, "commune_staff": commune_staff, "commune_leader": commune_leader}


ROLES = ["admin", "staff", "union", "cell", "leader", "commune_staff", "commune_leader"]


@pytest.mark.parametrize("role", ROLES)
def test_no_link_answers_403(client, world, role, time_machine):
    time_machine.move_to(dt.datetime(2025, 3, 1, 9, 0, tzinfo=TZ), tick=False)
    client.force_login(world[role])
    queue, seen, per_shape, forbidden = deque([("/", "")]), set(), {}, []
    visited = 0
    while queue and visited < MAX_PAGES:
        url, source = queue.popleft()
        if url in seen or SKIP.search(url):
            continue
        seen.add(url)
        key = shape(url)
        if per_shape.get(key, 0) >= PER_SHAPE_OVERRIDE.get(key, PER_SHAPE):
            continue
        per_shape[key] = per_shape.get(key, 0) + 1
        response = client.get(url)
        visited += 1
        if response.status_code == 403:
            forbidden.append((url, source))
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(response.content.decode())
        queue.extend((link, url) for link in parser.found if link not in seen)
    assert visited > 25, visited
    assert forbidden == [], forbidden
