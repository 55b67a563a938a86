"""`make load`: a realistic mix against gunicorn (production settings) for a bounded time.

Mostly reads by signed-in staff and leaders of many units, some form posts (draft models,
notifications read), a few report requests. Users and passwords come from bench/load_users.json,
written by scripts/load.sh before the run.
"""

import csv
import json
import os
import random
import re
import time
from pathlib import Path

from locust import HttpUser, between, events, task

USERS = json.loads((Path(__file__).parent / "load_users.json").read_text(encoding="utf-8"))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MODEL_LINK = re.compile(r'href="/models/(\d+)/"')
PROXY = {"X-Forwarded-Proto": "https"}  # TLS ends at the proxy in production

REQUESTS: list[tuple[float, str, float, bool]] = []


@events.request.add_listener
def _record(request_type, name, response_time, exception, start_time=None, **_kwargs):
    """Every request of the run, sign-ins included: bench/load_summary.py reads them (its figures
    set the sign-ins apart, which PBKDF2 makes hundreds of milliseconds of CPU by design and which a
    person does once a session, and count everything else from the first second)."""
    REQUESTS.append((start_time or time.time(), name, response_time, exception is not None))


@events.quitting.add_listener
def _write(environment, **_kwargs):
    with open(Path(__file__).parent / "load_requests.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["start", "name", "ms", "failed"])
        writer.writerows((f"{start:.3f}", name, f"{ms:.1f}", int(failed)) for start, name, ms, failed in REQUESTS)


class PortalUser(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self):
        # The portal sees https (X-Forwarded-Proto): CSRF wants a same-origin https Referer.
        self.origin = self.host.replace("http://", "https://")
        account = random.choice(USERS["accounts"])
        self.unit_id = account["unit_id"]
        self.client.headers.update(PROXY)
        page = self.client.get("/accounts/login/", name="login page")
        self._keep_cookies(page)
        response = self.client.post("/accounts/login/", {
            "username": account["username"], "password": USERS["password"],
            "csrfmiddlewaretoken": TOKEN.search(page.text).group(1),
        }, headers={"Referer": self.origin + "/accounts/login/"}, allow_redirects=False, name="login")
        self._keep_cookies(response)
        self.model_ids: list[str] = []

    def _keep_cookies(self, response):
        # Session and CSRF cookies are Secure; loopback is plain HTTP behind the "proxy".
        for cookie in response.cookies:
            self.client.cookies.set(cookie.name, cookie.value)

    def _token(self, path):
        page = self.client.get(path, name=path.split("?")[0] + " (form)")
        match = TOKEN.search(page.text)
        return match.group(1) if match else ""

    @task(10)
    def home(self):
        self.client.get("/", name="home")

    @task(8)
    def models_list(self):
        page = self.client.get("/models/", name="models list")
        self.model_ids = MODEL_LINK.findall(page.text)[:20] or self.model_ids

    @task(4)
    def models_search(self):
        self.client.get("/models/?q=" + random.choice(["dan van", "tiết kiệm", "an ninh", "khéo"]),
                        name="models search")

    @task(6)
    def model_detail(self):
        if self.model_ids:
            self.client.get(f"/models/{random.choice(self.model_ids)}/", name="model detail")

    @task(4)
    def showcase(self):
        self.client.get("/showcase/?q=" + random.choice(["", "kinh te", "văn hóa"]), name="showcase")

    @task(3)
    def notifications(self):
        self.client.get("/plans/notifications/", name="notifications")

    @task(3)
    def pledges(self):
        self.client.get("/awards/pledges/", name="pledges")

    @task(2)
    def plans(self):
        self.client.get("/plans/", name="plans")

    @task(1)
    def mark_notifications_read(self):
        token = self._token("/plans/notifications/")
        self.client.post("/plans/notifications/read-all/", {"csrfmiddlewaretoken": token},
                         headers={"Referer": self.origin + "/plans/notifications/"}, name="notifications read (POST)")

    @task(1)
    def draft_model(self):
        token = self._token("/models/new/")
        if not token:
            return
        self.client.post("/models/new/", {
            "csrfmiddlewaretoken": token, "phase": USERS["phase_id"], "year": USERS["year"],
            "field": "van-hoa-xa-hoi", "name": f"Mô hình thử tải {random.randint(1, 10**6)}",
            "registration_kind": "new", "goals": "Vận động nhân dân giữ gìn vệ sinh môi trường.",
            "target_group": "Hộ gia đình trong thôn", "how_it_works": "Họp dân, phân công tổ tự quản.",
            "leader_text": "Chi hội Phụ nữ", "participants": "Các đoàn thể", "expected_results": "100% hộ tham gia",
            "resources": "Xã hội hóa", "start_date": "2026-03-01",
        }, headers={"Referer": self.origin + "/models/new/"}, name="model draft (POST)")

    @task(1)
    def report_request(self):
        if random.random() < 0.3:
            token = self._token("/")
            self.client.post("/reports/new/unit-list/", {"csrfmiddlewaretoken": token, "unit": self.unit_id},
                             headers={"Referer": self.origin + "/"}, name="report request (POST)")


def _photo() -> bytes:
    """A small real JPEG (the portal checks uploads by content)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), (random.randrange(256), 120, 60)).save(out, "JPEG", quality=80)
    return out.getvalue()


PHOTO = _photo()
LOCATION_MODEL = re.compile(r"/models/(\d+)/$")


class DeadlineCommuneUser(HttpUser):
    """Deadline day: commune staff register models with photos and submit them in the last hours
    before the deadline (load_prepare moves this year's deadline to tomorrow). Each user registers
    at most LOAD_DEADLINE_MODELS models, then only reads its list; the run is bounded by -t."""

    # A person's pause between two steps (reading the page, typing the next form), in seconds:
    # LOAD_DEADLINE_PAUSE="low,high" (default 5–15; "1,3" is the pace that saturates the 2 cores).
    wait_time = between(*[float(x) for x in os.environ.get("LOAD_DEADLINE_PAUSE", "5,15").split(",")])
    _keep_cookies = PortalUser._keep_cookies
    _token = PortalUser._token

    def on_start(self):
        # The same sign-in as PortalUser's, with an account of a commune's staff.
        USERS["accounts"], saved = USERS.get("commune_accounts") or USERS["accounts"], USERS["accounts"]
        try:
            PortalUser.on_start(self)
        finally:
            USERS["accounts"] = saved
        self.registered = 0

    @task
    def register_and_submit(self):
        import os

        if self.registered >= int(os.environ.get("LOAD_DEADLINE_MODELS", "10")):
            self.client.get("/models/", name="models list")
            return
        token = self._token("/models/new/")
        if not token:
            return
        n = random.randint(1, 10**6)
        response = self.client.post("/models/new/", data={
            "csrfmiddlewaretoken": token, "phase": USERS["phase_id"], "year": USERS["year"],
            "field": random.choice(["kinh-te", "van-hoa-xa-hoi", "quoc-phong-an-ninh", "xay-dung-he-thong-chinh-tri"]),
            "name": f"Mô hình ngày hạn chót {n}", "registration_kind": "new",
            "goals": "Vận động nhân dân giữ gìn vệ sinh môi trường.", "target_group": "Hộ gia đình trong thôn",
            "how_it_works": "Họp dân, phân công tổ tự quản.", "leader_text": "Chi hội Phụ nữ",
            "participants": "Các đoàn thể", "expected_results": "100% hộ tham gia", "resources": "Xã hội hóa",
            "start_date": f"{USERS['year']}-03-01",
        }, files=[("attachments", (f"anh-{n}.jpg", PHOTO, "image/jpeg")),
                  ("attachments", (f"anh-{n}-2.jpg", PHOTO, "image/jpeg"))],
            headers={"Referer": self.origin + "/models/new/"}, allow_redirects=False,
            name="model register with photos (POST)", catch_response=True)
        with response as result:
            match = LOCATION_MODEL.search(result.headers.get("Location", ""))
            if result.status_code != 302 or not match:
                result.failure(f"register answered {result.status_code}")
                return
        pk = match.group(1)
        self.client.get(f"/models/{pk}/", name="model detail")
        page = self.client.get(f"/models/{pk}/submit/", name="model submit (form)")
        token = TOKEN.search(page.text).group(1) if TOKEN.search(page.text) else ""
        submitted = self.client.post(f"/models/{pk}/submit/", {"csrfmiddlewaretoken": token, "comment": ""},
                                     headers={"Referer": self.origin + f"/models/{pk}/submit/"},
                                     allow_redirects=False, name="model submit (POST)", catch_response=True)
        with submitted as result:
            if result.status_code != 302:
                result.failure(f"submit answered {result.status_code}")
        self.registered += 1
