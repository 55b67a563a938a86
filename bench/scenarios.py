"""What `make bench` measures: the key pages, each as its natural user, and the heavy jobs."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import time
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

ROOT = Path(__file__).resolve().parent.parent
_clients: dict[str, Client] = {}


def client_for(username: str) -> Client:
    from portal.accounts.models import User

    if username not in _clients:
        client = Client()
        if username != "anonymous":
            client.force_login(User.objects.get(username=username))
        _clients[username] = client
    return _clients[username]


def _scoring_round(size: int = 100):
    """A review round of `size` accepted pledges and 5 committee members (built once)."""
    from awards.models import Pledge, PledgeContent, ReviewRound
    from awards.pledges import services
    from portal.accounts.models import Role, User
    from portal.units.models import Unit, UnitKind

    existing = ReviewRound.objects.filter(unit__code="BENCH-CD").first()
    if existing:
        return existing
    parent = Unit.objects.get(code="BTGDVTU")
    unit = Unit.objects.add_child(parent, {"code": "BENCH-CD", "name": "Công đoàn cơ quan (đo hiệu năng)",
                                           "kind": UnitKind.objects.get(code="cong-doan")})
    roles = {r.code: r for r in Role.objects.all()}
    password = make_password(None)
    people = User.objects.bulk_create(
        User(username=f"bench{i:03d}", full_name=f"Người đo {i:03d}", unit=unit, password=password)
        for i in range(size)
    )
    through = User.roles.through
    through.objects.bulk_create(
        [through(user_id=u.pk, role_id=roles["canbo"].pk) for u in people]
        + [through(user_id=u.pk, role_id=roles["congdoan"].pk) for u in people[:5]]
    )
    year = dt.date.today().year
    chair = people[0]
    rnd = services.round_create(user=chair, year=year, quarter=4)
    contents = list(PledgeContent.objects.filter(phase=rnd.phase, is_active=True))
    for i, person in enumerate(people):
        pledge = services.pledge_create(
            user=person, year=year, content=contents[i % len(contents)],
            commitments=[{"what": "Hoàn thành nhiệm vụ được giao", "due": "Quý IV", "measure": "Báo cáo"}],
            submit=True,
        )
        services.pledge_accept(user=chair, pledge=pledge)
    rnd = services.round_open(user=chair, rnd=rnd)
    assert Pledge.objects.filter(unit=unit, status="accepted").count() == size
    return rnd


def _picker_paths() -> list[tuple[str, str]]:
    """Paths typed into the picker that name a real village of the leader's province at every size
    (a commune's "Thôn 3 …"), so each size measures the same work: [(label, query)]."""
    from portal.accounts.models import User
    from portal.text import fold
    from portal.units.models import Unit

    unit = User.objects.select_related("unit__oversees").get(username="lanhdao").unit
    province = unit.oversees or unit
    village = (Unit.objects.filter(path__startswith=province.path, depth=province.depth + 2, is_active=True,
                                   name__startswith="Thôn 3").order_by("path").first())
    if village is None:
        return []
    commune = village.get_parent()
    return [("'commune › thon 3'", f"{fold(commune.name)} › thon 3"),
            ("'province › commune › thon'", f"{fold(province.name)} › {fold(commune.name)} › thon")]


def pages() -> list[dict]:
    from awards.models import ReviewRound
    from models_registry.models import DvkModel
    from plans.models import Plan

    result = [{"name": f"home ({u})", "user": u, "url": "/"} for u in ("admin", "canbo", "congdoan", "chiuy", "lanhdao")]
    year = dt.date.today().year
    model = (
        DvkModel.objects.filter(unit__code="BTGDVTU").order_by("-year", "pk").first()
        or DvkModel.objects.order_by("pk").first()
    )
    # A public model that was replicated: its page shows the spread by area (at every size, so the
    # query counts of the sizes compare the same page).
    public = (
        DvkModel.objects.filter(is_public=True, pk__in=DvkModel.objects.filter(replicated_from__isnull=False)
                                .values("replicated_from")).order_by("pk").first()
        or DvkModel.objects.filter(is_public=True).order_by("pk").first()
    )
    result += [
        {"name": "models list", "user": "lanhdao", "url": reverse("models_registry:list")},
        {"name": "models list filtered", "user": "lanhdao",
         "url": reverse("models_registry:list") + f"?year={year}&field=van-hoa-xa-hoi&state=registered"},
        {"name": "models list searched", "user": "lanhdao", "url": reverse("models_registry:list") + "?q=dan+van"},
        {"name": "model detail", "user": "lanhdao", "url": reverse("models_registry:detail", args=[model.pk])},
        {"name": "showcase", "user": "anonymous", "url": reverse("showcase:list")},
        {"name": "showcase searched", "user": "anonymous", "url": reverse("showcase:list") + "?q=tiet+kiem"},
    ]
    if public is not None:
        result.append({"name": "showcase detail", "user": "anonymous",
                       "url": reverse("showcase:detail", args=[public.public_key])})
    rnd = _scoring_round()
    member = rnd.unit.members.order_by("username")[1].username
    result += [
        {"name": "scoring grid (100 pledges)", "user": member, "url": reverse("awards:score_grid", args=[rnd.pk])},
        {"name": "round results", "user": rnd.chair.username, "url": reverse("awards:round_results", args=[rnd.pk])},
    ]
    closed = ReviewRound.objects.filter(status="closed", unit__code__in=["BTGDVTU", "BDVTU"]).order_by("-year", "-quarter").first()
    if closed is not None:
        result.append({"name": "closed round results", "user": "congdoan",
                       "url": reverse("awards:round_results", args=[closed.pk])})
    try:
        result.append({"name": "15/10 dashboard", "user": "lanhdao", "url": reverse("awards:dashboard_1510")})
    except Exception:  # noqa: BLE001 - the dashboard's URL name, when the commendations part has it
        pass
    plan = Plan.objects.filter(number__startswith="54", unit__code="BDVTU").first() or Plan.objects.first()
    result += [
        {"name": "plan page (54-KH/BDVTU)", "user": "lanhdao", "url": reverse("plans:plan_detail", args=[plan.pk])},
        {"name": "plans list", "user": "lanhdao", "url": reverse("plans:plan_list")},
        {"name": "notification centre", "user": "canbo", "url": reverse("plans:notifications")},
        {"name": "units list", "user": "admin", "url": reverse("units:list")},
        # The unit picker (issue 12): must answer in <= 150 ms p95 at nation size.
        {"name": "unit picker: empty query", "user": "admin", "url": reverse("units:pick") + "?q="},
        {"name": "unit picker: 'thon 3' (no diacritics)", "user": "admin", "url": reverse("units:pick") + "?q=thon+3"},
        {"name": "unit picker: 'xa' (many matches)", "user": "admin", "url": reverse("units:pick") + "?q=xa"},
        {"name": "unit picker: 'dong long' as leader", "user": "lanhdao",
         "url": reverse("units:pick") + "?q=dong+long&ended=1"},
        *({"name": f"unit picker: path {label}", "user": "admin", "url": reverse("units:pick") + "?" + urlencode({"q": q})}
          for label, q in _picker_paths()),
        {"name": "coverage (province, this year)", "user": "lanhdao", "url": reverse("models_registry:coverage")},
        {"name": "units with no model", "user": "lanhdao", "url": reverse("models_registry:coverage_gaps")},
        {"name": "spread by area (then)", "user": "lanhdao",
         "url": reverse("models_registry:spread") + "?year=2024&rollup=then"},
        {"name": "spread by area (now)", "user": "lanhdao",
         "url": reverse("models_registry:spread") + "?year=2024&rollup=now"},
    ]
    return result


def _timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def jobs(size: str) -> list[dict]:
    from django.core.management import call_command

    from models_registry.exports import models_xlsx_file
    from models_registry.models import DvkModel

    done = []
    # The first 10,000 models by id (streamed to a temporary file, as the export view does).
    last = DvkModel.objects.order_by("pk").values_list("pk", flat=True)[9999:10000].first()
    qs = DvkModel.objects.order_by("pk") if last is None else DvkModel.objects.filter(pk__lte=last).order_by("pk")
    rows = qs.count()
    seconds, handle = _timed(lambda: models_xlsx_file(qs))
    with handle:
        size = handle.seek(0, io.SEEK_END)
    done.append({"name": "excel export (models)", "seconds": round(seconds, 2), "rows": rows, "bytes": size})
    out = io.StringIO()
    now = dt.datetime.now(dt.UTC).isoformat()
    seconds, _ = _timed(lambda: call_command("send_reminders", "--now", now, stdout=out))
    done.append({"name": "reminder pass (whole tree)", "seconds": round(seconds, 2),
                 "result": out.getvalue().strip().splitlines()[-1]})
    done += report_jobs()
    return done


def report_jobs() -> list[dict]:
    """The 15/10 report made by a real worker, beside a bare WeasyPrint render of the same rows."""
    from documents import reporting

    if "commendation-1510" not in reporting.REGISTRY:
        return [{"name": "commendation-1510 report", "seconds": 0, "skipped": "kind not registered"}]
    from portal.celery import app
    from portal.models import ReportRequest
    from portal.units.models import Unit

    kind = reporting.REGISTRY["commendation-1510"]
    root = Unit.objects.filter(depth=1, is_active=True).order_by("path").first()
    # 15/10/2025: the last Tradition Day with a full year of commendations in the demo data.
    year = int(os.environ.get("BENCH_REPORT_YEAR", "2025"))
    params = kind.cli_params(root, year)
    env = dict(os.environ, CELERY_QUEUE="bench", CELERY_TASK_ALWAYS_EAGER="0")
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "portal", "worker", "--pool=solo", "-Q", "bench",
         "--without-gossip", "--without-mingle", "-l", "warning"], cwd=ROOT, env=env)
    try:
        app.conf.task_always_eager = False
        app.conf.task_default_queue = "bench"
        deadline = time.time() + 30
        while time.time() < deadline and not app.control.ping(timeout=0.5):
            pass
        ReportRequest.objects.filter(kind="commendation-1510").delete()
        started = time.perf_counter()
        request, _ = reporting.report_request(kind="commendation-1510", params=params, unit=root, user=None)
        while True:
            request.refresh_from_db()
            if request.status in ("done", "failed") or time.perf_counter() - started > 300:
                break
            time.sleep(0.1)
        worker_seconds = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    result = [{"name": "commendation-1510 report (worker)", "seconds": round(worker_seconds, 2),
               "status": request.status, "pages": request.pages, "bytes": request.size,
               "pages_per_second": round((request.pages or 0) / worker_seconds, 1) if worker_seconds else None}]
    seconds, pages = _timed(lambda: bare_render(root, year))
    result.append({"name": "bare WeasyPrint render, same rows", "seconds": round(seconds, 2), "pages": pages,
                   "worker_over_bare": round(worker_seconds / seconds, 2) if seconds else None})
    return result


def bare_render(root, year: int) -> int:
    """The floor: the same commended rows as a plain HTML table, rendered by WeasyPrint alone."""
    from django.utils.html import escape
    from pypdf import PdfReader
    from weasyprint import HTML

    from awards.commendations import selectors as cs
    from awards.models import Occasion

    rows = "".join(
        f"<tr><td>{escape(s.name)}</td><td>{escape(s.get_kind_display())}</td><td>{escape(s.unit.name)}</td>"
        f"<td>{escape(s.reason)}</td><td>{escape(s.decision.number if s.decision_id else '')}</td></tr>"
        for s in cs.commended(root, occasion=Occasion.DAY_1510, year=year)
    )
    html = (f"<html><body><table><thead><tr><th>Tên</th><th>Loại</th><th>Đơn vị</th><th>Lý do</th>"
            f"<th>Quyết định</th></tr></thead><tbody>{rows}</tbody></table></body></html>")
    pdf = HTML(string=html).write_pdf()
    return len(PdfReader(io.BytesIO(pdf)).pages)
