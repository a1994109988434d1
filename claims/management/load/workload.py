"""Simulated users for ``load_bench``: each a thread with its own HTTP session, doing what its
role does on the real pages, with a think time between requests, until the deadline.

Editors browse and filter the queue, search, open claims, type into the intake warning, log
claims and attach sources from the local site (each attach queues an archive); reviewers open
/reviews/ and the verdict pages and approve what awaits them; anonymous readers read the
public fact-checks and poll their ClaimReview feed; the feed desk presses "poll now" on the
local wires (each press queues a poll, then matching). Every request is recorded with its
kind, its time and whether it failed.
"""

from __future__ import annotations

import queue
import random
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote

import requests
from django.conf import settings

from claims.management.load.seed import Newsroom

WORDS = ["drones", "sanctions", "grain", "pipeline", "border", "ministry", "vaccine", "election",
         "missile", "ceasefire", "embassy", "exports"]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PUBLIC_LINK = re.compile(r'href="(/fact-checks/[\w-]+/)"')


@dataclass
class Sample:
    kind: str
    ms: float
    ok: bool
    problem: str = ""


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    attaches: list[str] = field(default_factory=list)  # urls attached (their sources say when)
    polls: list[tuple[float, int]] = field(default_factory=list)  # (epoch seconds, feed id)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class User(threading.Thread):
    """One simulated person. ``act`` is one step of its role (one or two requests)."""

    def __init__(self, *, base: str, recorder: Recorder, deadline: float, think: float,
                 seed: int, session_key: str | None = None):
        super().__init__(daemon=True)
        self.base, self.recorder, self.deadline, self.think = base, recorder, deadline, think
        self.rng = random.Random(seed)
        self.http = requests.Session()
        if session_key:
            self.http.cookies.set(settings.SESSION_COOKIE_NAME, session_key, domain="127.0.0.1", path="/")

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            try:
                self.act()
            except Exception as error:  # noqa: BLE001 - a failed step is a figure, not a crash
                self.recorder.add(Sample("client error", 0.0, False, repr(error)[:200]))
            time.sleep(self.rng.uniform(0.5, 1.5) * self.think)

    def act(self) -> None:
        raise NotImplementedError

    def request(self, kind: str, method: str, path: str, *, expect=(200,), **kwargs) -> requests.Response | None:
        started = time.perf_counter()
        try:
            response = self.http.request(method, self.base + path, allow_redirects=False, timeout=30, **kwargs)
        except requests.RequestException as error:
            self.recorder.add(Sample(kind, (time.perf_counter() - started) * 1000, False, repr(error)[:200]))
            return None
        ms = (time.perf_counter() - started) * 1000
        ok = response.status_code in expect
        self.recorder.add(Sample(kind, ms, ok, "" if ok else f"HTTP {response.status_code} {method} {path}"))
        return response if ok else None

    def csrf(self, page: requests.Response | None) -> str:
        match = CSRF_INPUT.search(page.text) if page is not None else None
        return match.group(1) if match else ""


class Editor(User):
    def __init__(self, *, room: Newsroom, site_base: str, **kwargs):
        super().__init__(**kwargs)
        self.room, self.site_base = room, site_base

    def act(self) -> None:
        roll = self.rng.random()
        claim_id = self.rng.choice(self.room.claim_ids)
        if roll < 0.25:
            self.request("queue", "GET", "/")
        elif roll < 0.35:
            status = self.rng.choice(["new", "triaged", "researching"])
            assignee = self.rng.choice(["me", "unassigned", *map(str, self.room.editor_ids[:3])])
            self.request("queue, filtered", "GET", f"/?status={status}&assignee={assignee}&page={self.rng.randint(1, 3)}")
        elif roll < 0.50:
            words = "+".join(self.rng.sample(WORDS, self.rng.randint(1, 2)))
            self.request("queue search", "GET", f"/?q={words}")
        elif roll < 0.72:
            self.request("claim page", "GET", f"/claims/{claim_id}/")
        elif roll < 0.78:
            text = f"The {self.rng.choice(WORDS)} deal was {self.rng.choice(['signed', 'cancelled'])}"
            self.request("intake warning", "GET", f"/claims/similar/?text={quote(text)}")
        elif roll < 0.88:
            form = self.request("intake form", "GET", "/claims/new/")
            n = self.rng.randint(1, 10**9)
            self.request("log a claim", "POST", "/claims/new/", expect=(302,), data={
                "csrfmiddlewaretoken": self.csrf(form), "text": f"Officials said the border reopened on day {n}",
                "claimant": "A spokesperson", "claimant_kind": "person", "priority": "2", "tags": "load-bench",
            })
        else:
            page = self.request("claim page", "GET", f"/claims/{claim_id}/")
            url = f"{self.site_base}/articles/attach-{self.rng.randint(1, 10**9)}"
            attached = self.request("attach a source", "POST", f"/claims/{claim_id}/evidence/url/", expect=(302,),
                                    data={"csrfmiddlewaretoken": self.csrf(page), "url": url, "stance": "context"})
            if attached is not None:
                with self.recorder.lock:
                    self.recorder.attaches.append(url)


class Reviewer(User):
    def __init__(self, *, pending: queue.Queue, claim_ids: list[int], **kwargs):
        super().__init__(**kwargs)
        self.pending, self.claim_ids = pending, claim_ids

    def act(self) -> None:
        self.request("reviews", "GET", "/reviews/")
        try:
            version_id, claim_id = self.pending.get_nowait()
        except queue.Empty:
            self.request("verdict page", "GET", f"/claims/{self.rng.choice(self.claim_ids)}/verdict/")
            return
        page = self.request("verdict page", "GET", f"/claims/{claim_id}/verdict/")
        self.request("approve a verdict", "POST", f"/verdicts/{version_id}/approve/", expect=(302,),
                     data={"csrfmiddlewaretoken": self.csrf(page), "comments": "Checked."})


class Reader(User):
    slugs: list[str]

    def act(self) -> None:
        roll = self.rng.random()
        if roll < 0.3 or not getattr(self, "slugs", None):
            listing = self.request("public list", "GET", "/fact-checks/")
            if listing is not None:
                self.slugs = PUBLIC_LINK.findall(listing.text) or getattr(self, "slugs", [])
        elif roll < 0.85:
            self.request("public fact-check", "GET", self.rng.choice(self.slugs))
        else:
            self.request("public ClaimReview feed", "GET", "/fact-checks/claimreview.json")


class FeedDesk(User):
    """The editor who keeps the wires fresh: "poll now" on a feed, then the feed list."""

    def __init__(self, *, feed_ids: list[int], **kwargs):
        super().__init__(**kwargs)
        self.feed_ids = feed_ids

    def act(self) -> None:
        page = self.request("feed list", "GET", "/feeds/")
        feed_id = self.rng.choice(self.feed_ids)
        pressed_at = time.time()  # before the request: the poll may start before it returns
        pressed = self.request("poll a feed now", "POST", f"/feeds/{feed_id}/poll/", expect=(200, 302),
                               data={"csrfmiddlewaretoken": self.csrf(page)})
        if pressed is not None:
            with self.recorder.lock:
                self.recorder.polls.append((pressed_at, feed_id))


def roles_for(users: int) -> dict[str, int]:
    """How ``users`` people split: half editors, about one in seven a reviewer, one feed
    desk, the rest anonymous readers (20 users: 10, 3, 1, 6)."""
    editors = max(1, round(users * 0.5))
    reviewers = max(1, round(users * 0.15))
    feed_desk = 1
    readers = max(0, users - editors - reviewers - feed_desk)
    return {"editors": editors, "reviewers": reviewers, "feed desk": feed_desk, "readers": readers}


def warm_up(*, base: str, room: Newsroom, rounds: int = 4) -> None:
    """Each page once per round, untimed, so every web process has compiled its templates,
    opened its database connection and loaded what it loads lazily (the intake warning's
    encoder) before the clock starts."""
    http = requests.Session()
    http.cookies.set(settings.SESSION_COOKIE_NAME, room.editor_sessions[0], domain="127.0.0.1", path="/")
    claim_id = room.claim_ids[0]
    paths = ["/", "/?q=drones", "/?status=new&assignee=me", f"/claims/{claim_id}/", "/claims/new/",
             "/claims/similar/?text=The+pipeline+deal+was+signed", "/reviews/", f"/claims/{claim_id}/verdict/",
             "/feeds/", "/fact-checks/", "/fact-checks/claimreview.json"]
    for _ in range(rounds):
        for path in paths:
            http.get(base + path, allow_redirects=False, timeout=60)


def users_run(*, base: str, site_base: str, room: Newsroom, pending: list[tuple[int, int]],
              users: int, seconds: float, think: float) -> tuple[Recorder, float]:
    """Run the mix for ``seconds``; returns what was recorded and the wall time it took."""
    recorder = Recorder()
    deadline = time.monotonic() + seconds
    work: queue.Queue = queue.Queue()
    for item in pending:
        work.put(item)
    mix = roles_for(users)
    common = {"base": base, "recorder": recorder, "deadline": deadline, "think": think}
    people: list[User] = []
    for n in range(mix["editors"]):
        people.append(Editor(room=room, site_base=site_base, seed=n,
                             session_key=room.editor_sessions[n % len(room.editor_sessions)], **common))
    for n in range(mix["reviewers"]):
        people.append(Reviewer(pending=work, claim_ids=room.claim_ids[-len(pending) or None:], seed=100 + n,
                               session_key=room.reviewer_sessions[n % len(room.reviewer_sessions)], **common))
    people.append(FeedDesk(feed_ids=room.feed_ids, seed=200, session_key=room.editor_sessions[0], **common))
    for n in range(mix["readers"]):
        people.append(Reader(seed=300 + n, **common))
    started = time.monotonic()
    for person in people:
        person.start()
    for person in people:
        person.join(timeout=seconds + 60)
    return recorder, time.monotonic() - started
