"""Several ``kinerja run`` replicas on one database behind one webhook URL, and citizens
answering the SKM survey through the fake Bot API — shared by ``tests/e2e/test_replicas.py``
(three replicas, one killed) and ``bench/replicas.py`` (throughput, latency, CPU).

The pieces, as in a deployment:

- the database: PostgreSQL (a URL; the caller owns the server, tests/pgserver.py) or a
  SQLite file, seeded by :func:`seed` with the demo organisation and staff
  (``bot.admin.demo.load_demo``) and some of the staff linked to Telegram chats, so the
  weekly summary has recipients;
- :class:`Cluster`: N ``kinerja run`` subprocesses (:class:`Replica`) in Telegram webhook
  mode, each on its own ``KINERJA_WEB_PORT``, all with the same ``KINERJA_DB``,
  ``KINERJA_SECRET_KEY`` and ``KINERJA_WEBHOOK_URL`` — the :class:`Balancer`;
- :class:`Balancer`: a small aiohttp reverse proxy in this process, round robin over the
  replicas, forwarding each POST's headers and body and answering with the replica's
  status and body; a replica that refuses the connection (dead, restarting) is skipped
  for the next one, like nginx's ``proxy_next_upstream error``; a replica that dies after
  the request was sent gives 502 (a POST is not retried — the platform redelivers). An
  update delivered again (same ``update_id``) goes to a replica that did not have it yet;
- the fake Bot API (tests/fakes/telegram_api.py) in webhook mode posting to the balancer;
  :class:`Watch` indexes what the bot sends per chat, with the time it arrived;
- :func:`survey`: one citizen — ``/start <payload>``, each answer once the bot asked the
  next question, done at the thank-you; :func:`expected_prompts` is what the bot should
  say, in order, derived from the flow's steps and the catalog.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import re
import string
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import web

from bot.admin.demo import POINTS, SERVICES, UNITS, demo_staff, load_demo
from bot.conversation import texts
from bot.conversation.flows.citizen.survey import AGE_FIELD, PROFILE_FIELDS
from bot.conversation.flows.staff.register import code_hash
from bot.conversation.links import sign
from bot.storage import Store
from kinerja.models import PROFILE_OPTIONS, UNSUR_KEYS
from tests.e2e.crashload import BotProcess, free_port
from tests.fakes.telegram_api import FakeTelegramAPI, SentMessage

SECRET = "replica-secret"
WEBHOOK_SECRET = "replica_webhook_secret"
POINT = "DUK-KTP-L1"
FIRST_CITIZEN = 700_000
FIRST_STAFF_CHAT = 650_000
LANGUAGE = "id"
SUGGESTIONS = ("Antrean cukup cepat", "Petugas ramah", "Ruang tunggu panas", "Mohon tambah loket")


# --- the database ------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """A staff member linked to a Telegram chat who gets the weekly summary."""

    nip: str
    chat_id: int


def summary_recipients(count: int) -> list[Recipient]:
    """The first ``count`` demo employees with subordinates (the weekly summary's
    recipients: every atasan), each with a chat of its own."""
    employees, _ = demo_staff()
    atasan = [e.nip for e in employees if any(o.atasan == e.nip for o in employees)]
    return [Recipient(nip, FIRST_STAFF_CHAT + i) for i, nip in enumerate(atasan[:count])]


async def seed(db: str, now: datetime, recipients: Sequence[Recipient] = ()) -> None:
    """The demo organisation, staff, targets, reports and responses (``load_demo``), and
    ``recipients`` linked to their Telegram chats the way /daftar links them (an activation
    code created and redeemed). Migrates a new database."""
    store = await Store.open(db)
    try:
        await load_demo(store, now=now)
        for person in recipients:
            async with store.reading() as r:
                (employee,) = await r.employees_by_nip([person.nip])
            digest = code_hash(SECRET.encode(), f"link-{person.chat_id}")
            async with store.unit() as uow:
                await uow.create_activation(employee.id, digest, now, now + timedelta(days=1))
                linked = await uow.redeem_activation(digest, "telegram", str(person.chat_id), now)
                assert linked is not None, person
    finally:
        await store.close()


def summary_due_now(tz: ZoneInfo, now: datetime | None = None) -> dict[str, str]:
    """Schedule settings under which last week's summary became due a minute ago: every
    replica's first schedule tick (at its start) queues it — the replicas starting together
    race for it, a restarted one finds it queued."""
    moment = (now or datetime.now(UTC)).astimezone(tz) - timedelta(minutes=1)
    return {
        "KINERJA_SUMMARY_WEEKDAY": str(moment.weekday()),
        "KINERJA_SUMMARY_TIME": moment.strftime("%H:%M:%S"),
    }


# --- what the bot should say -----------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """A message the bot should send: ``name`` for people (a catalog key), ``pattern``."""

    name: str
    pattern: re.Pattern[str]

    def matches(self, text: str) -> bool:
        return self.pattern.fullmatch(text) is not None

    def within(self, text: str) -> bool:
        """``text`` is this message, or holds it between blank lines (a recovered turn sent
        as one message)."""
        return self.matches(text) or re.fullmatch(
            r"(?:.*?\n\n)?(?:" + self.pattern.pattern + r")(?:\n\n.*)?", text, re.DOTALL
        ) is not None

    def then(self, other: Expected) -> Expected:
        """Both in one message, a blank line between."""
        return Expected(f"{self.name} + {other.name}", re.compile(
            self.pattern.pattern + re.escape("\n\n") + other.pattern.pattern, re.DOTALL))


def template(key: str, language: str = LANGUAGE, **known: object) -> Expected:
    """A catalog text: ``known`` placeholders filled in, the others any text."""
    parts: list[str] = []
    for literal, name, _spec, _conv in string.Formatter().parse(texts.CATALOGS[language][key]):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append(re.escape(str(known[name])) if name in known else "(?:.*?)")
    return Expected(key, re.compile("".join(parts), re.DOTALL))


def exact(name: str, text: str) -> Expected:
    return Expected(name, re.compile(re.escape(text), re.DOTALL))


def expected_prompts(point: str = POINT, language: str = LANGUAGE) -> list[Expected]:
    """What the bot says in a survey, message by message, as the survey flow builds it
    (bot/conversation/flows/citizen/survey.py) from the catalog: the intro and the first
    unsur; then after each answer the next question — the nine unsur, the four profile
    questions (the age one that also takes a typed age), the saran, the review; after
    "send", the thank-you. (Then, once the unit has enough responses, its IKM: see
    :data:`IKM`.)"""
    info = next(p for p in POINTS if p.code == point)
    service = next(s for s in SERVICES if s.code == info.service)
    unit = next(u for u in UNITS if u.code == service.unit)
    prompts = [template("survey_intro", language, unit=unit.name, service=service.name,
                        point=info.name)]
    for i, key in enumerate(UNSUR_KEYS, start=1):
        prompts.append(exact(f"q.{key}", texts.text(language, "question_counter", i=i)
                             + "\n" + texts.text(language, "q." + key)))
    for name in PROFILE_FIELDS:
        key = "p.usia_typed" if name == AGE_FIELD else "p." + name
        prompts.append(exact(key, texts.text(language, key)))
    prompts.append(template("saran_prompt", language))
    prompts.append(template("review", language))
    prompts.append(template("thanks", language, unit=unit.name))
    return prompts


#: the unit's IKM after the thank-you, once the unit has enough responses this quarter
IKM = template("thanks_ikm")


@dataclass(frozen=True)
class Answers:
    """One citizen's survey: the texts typed and the response they make (what a stored row
    holds: the nine unsur, the four profile values, the saran)."""

    typed: tuple[str, ...]
    response: tuple[object, ...]


def answers(rng: random.Random, point: str = POINT) -> Answers:
    """A random survey, typed as a person does: option numbers for the unsur and the
    profile (the last option skips), a suggestion, "1" to send."""
    unsur = [rng.randint(1, 4) for _ in UNSUR_KEYS]
    profile: list[str | None] = []
    typed = [f"/start {sign(point, SECRET.encode())}", *map(str, unsur)]
    for name in PROFILE_FIELDS:
        options = PROFILE_OPTIONS[name]
        pick = rng.randint(0, len(options))  # len(options): skip
        typed.append(str(pick + 1))
        profile.append(options[pick] if pick < len(options) else None)
    saran = rng.choice(SUGGESTIONS)
    typed += [saran, "1"]
    return Answers(tuple(typed), (*unsur, *profile, saran))


# --- what the bot sent ---------------------------------------------------------------


class Watch:
    """The bot's messages per chat, with the loop time each arrived at the fake API."""

    def __init__(self, api: FakeTelegramAPI) -> None:
        self.loop = asyncio.get_running_loop()
        self.by_chat: dict[int, list[tuple[float, SentMessage]]] = {}
        self._events: dict[int, asyncio.Event] = {}
        api.listeners.append(self._sent)

    def _sent(self, message: SentMessage) -> None:
        self.by_chat.setdefault(message.chat_id, []).append((self.loop.time(), message))
        event = self._events.pop(message.chat_id, None)
        if event is not None:
            event.set()

    def texts(self, chat_id: int) -> list[str]:
        return [m.text or m.caption or "" for _, m in self.by_chat.get(chat_id, [])]

    def timed(self, chat_id: int) -> list[tuple[float, str]]:
        """``(arrival time, text)`` of each message to ``chat_id``."""
        return [(t, m.text or m.caption or "") for t, m in self.by_chat.get(chat_id, [])]

    def count(self, chat_id: int) -> int:
        return len(self.by_chat.get(chat_id, ()))

    def arrived(self, chat_id: int, index: int) -> float:
        return self.by_chat[chat_id][index][0]

    async def wait(self, chat_id: int, count: int, within: float) -> None:
        """Until ``chat_id`` has ``count`` messages; TimeoutError after ``within`` s."""
        await self.wait_until(chat_id, lambda: self.count(chat_id) >= count, within)

    async def wait_until(self, chat_id: int, condition: Callable[[], bool],
                         within: float) -> None:
        """Until ``condition()`` holds, looked at whenever ``chat_id`` gets a message;
        TimeoutError after ``within`` s."""
        async with asyncio.timeout(within):
            while not condition():
                await self._events.setdefault(chat_id, asyncio.Event()).wait()


async def survey(
    api: FakeTelegramAPI,
    watch: Watch,
    chat_id: int,
    script: Answers,
    prompts: Sequence[Expected],
    *,
    within: float,
    injected: Callable[[int], None] | None = None,
    answered: Callable[[int], None] | None = None,
    latency: Callable[[float, float], None] | None = None,
) -> None:
    """One citizen's survey (``prompts``: :func:`expected_prompts`): each message once the
    bot asked for it — after ``/start`` the first question (after the intro), then the
    next question after each answer — done when thanked.

    ``injected(update_id)`` is called as each message is handed to the platform,
    ``answered(update_id)`` once the bot asked the next question; ``latency(injected_at,
    seconds)`` with the time from injection to the bot's first message after it.
    TimeoutError when the bot does not ask within ``within`` seconds.
    """
    for index, text in enumerate(script.typed):
        before = watch.count(chat_id)
        at = watch.loop.time()
        update_id = api.send_text(chat_id, text)
        if injected is not None:
            injected(update_id)
        await watch.wait(chat_id, before + 1, within)
        if latency is not None:
            latency(at, watch.arrived(chat_id, before) - at)
        wanted = prompts[index + 1]
        await watch.wait_until(
            chat_id,
            lambda wanted=wanted, before=before: any(  # type: ignore[misc]
                wanted.within(t) for t in watch.texts(chat_id)[before:]),
            within,
        )
        if answered is not None:
            answered(update_id)


# --- the replicas ---------------------------------------------------------------------


class Replica(BotProcess):
    """One ``kinerja run`` (``throttled``: with PTB's 30 messages/s limiter, as deployed)."""

    def __init__(self, env: dict[str, str], folder: Path, port: int, *, throttled: bool) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__({**env, "KINERJA_WEB_PORT": str(port)}, folder)
        self.port = port
        if not throttled:  # the fake has no flood limit: a benchmark of the bot's own cost
            self.env["KINERJA_TELEGRAM_MAX_RATE"] = "0"

    @property
    def pid(self) -> int | None:
        return None if self.proc is None or self.proc.returncode is not None else self.proc.pid

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""


class Balancer:
    """Round robin over ``ports`` (replicas on 127.0.0.1); see the module docstring.

    ``routed[update_id]``: the replicas (indexes) that answered a delivery of the update
    (any status), in order; ``connection_errors``: connections refused, per replica.
    """

    def __init__(self, ports: Sequence[int]) -> None:
        self.ports = list(ports)
        self.port = 0
        self.routed: dict[int, list[int]] = {}
        self.forwarded: Counter[int] = Counter()
        self.connection_errors: Counter[int] = Counter()
        self._next = 0
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0),
            timeout=aiohttp.ClientTimeout(total=30),
        )
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post("/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        self.port = free_port()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def _order(self, update_id: int | None) -> list[int]:
        count = len(self.ports)
        first, self._next = self._next % count, self._next + 1
        order = [(first + i) % count for i in range(count)]
        had = set(self.routed.get(update_id, ())) if update_id is not None else set()
        return [i for i in order if i not in had] + [i for i in order if i in had]

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        body = await request.read()
        update_id: int | None = None
        with contextlib.suppress(ValueError, AttributeError):
            found = json.loads(body).get("update_id")
            update_id = found if isinstance(found, int) else None
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in {"host", "content-length", "transfer-encoding",
                                        "connection"}}
        for index in self._order(update_id):
            url = f"http://127.0.0.1:{self.ports[index]}{request.rel_url}"
            try:
                async with self._session.post(url, data=body, headers=headers) as answer:
                    content = await answer.read()
                    status = answer.status
            except aiohttp.ClientConnectorError:
                self.connection_errors[index] += 1
                continue  # nothing was sent: the next replica
            except (aiohttp.ClientError, TimeoutError):
                self._note(update_id, index)
                return web.Response(status=502)  # maybe half done: the platform retries
            self._note(update_id, index)
            self.forwarded[index] += 1
            return web.Response(status=status, body=content)
        return web.Response(status=502)

    def _note(self, update_id: int | None, index: int) -> None:
        if update_id is not None:
            self.routed.setdefault(update_id, []).append(index)


@dataclass
class Cluster:
    """``count`` replicas on ``db`` behind a :class:`Balancer`, the fake API posting to it.

    ``env``: more settings for every replica (e.g. ``KINERJA_REPLICA_LEASE_SECONDS``).
    ``balanced`` False with one replica: the platform posts to it directly (no balancer).
    """

    folder: Path
    db: str
    api: FakeTelegramAPI
    count: int
    env: dict[str, str] = field(default_factory=dict)
    throttled: bool = True
    balanced: bool = True
    replicas: list[Replica] = field(default_factory=list)
    balancer: Balancer | None = None

    async def __aenter__(self) -> Cluster:
        ports = [free_port() for _ in range(self.count)]
        if self.balanced or self.count > 1:
            self.balancer = Balancer(ports)
            await self.balancer.start()
            url = self.balancer.url
        else:
            url = f"http://127.0.0.1:{ports[0]}"
        env = {
            "KINERJA_DB": self.db,
            "KINERJA_SECRET_KEY": SECRET,
            "KINERJA_TELEGRAM_TOKEN": self.api.token,
            "KINERJA_TELEGRAM_BASE_URL": self.api.base_url,
            "KINERJA_TELEGRAM_BASE_FILE_URL": self.api.base_file_url,
            "KINERJA_WEBHOOK_URL": url,
            "KINERJA_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "KINERJA_REMINDER_ENABLED": "false",
            **self.env,
        }
        self.replicas = [
            Replica(env, self.folder / f"replica-{i}", port, throttled=self.throttled)
            for i, port in enumerate(ports)
        ]
        try:
            await asyncio.gather(*(r.start() for r in self.replicas))
            await asyncio.gather(*(self.ready(i) for i in range(self.count)))
        except BaseException:
            await self.__aexit__(None, None, None)
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.gather(*(r.stop() for r in self.replicas), return_exceptions=True)
        if self.balancer is not None:
            await self.balancer.stop()

    async def ready(self, index: int, within: float = 90.0) -> None:
        """Wait until replica ``index`` serves its webhook (``/healthz`` answers 200: the
        route is up and its setWebhook was made). RuntimeError with the end of its log
        when it exits or does not get there within ``within`` s."""
        replica = self.replicas[index]
        deadline = asyncio.get_running_loop().time() + within
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as http:
            while True:
                if replica.pid is None:
                    raise RuntimeError(f"replica {index} exited:\n{replica.log_tail()}")
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    async with http.get(f"http://127.0.0.1:{replica.port}/healthz") as answer:
                        if answer.status == 200 and self.api.webhook is not None:
                            return
                if asyncio.get_running_loop().time() > deadline:
                    raise RuntimeError(f"replica {index} not ready in {within:.0f} s:\n"
                                       f"{replica.log_tail()}")
                await asyncio.sleep(0.1)

    async def kill(self, index: int) -> None:
        await self.replicas[index].kill()

    async def restart(self, index: int) -> None:
        await self.replicas[index].start()
        await self.ready(index)

    def pids(self) -> list[int | None]:
        return [r.pid for r in self.replicas]

    def logs(self) -> str:
        return "\n".join(f"replica {i}: {r.log}" for i, r in enumerate(self.replicas))


# --- reading the outcome --------------------------------------------------------------


@dataclass
class Outcome:
    """What the database holds after a load: the telegram responses (as :class:`Answers`'
    ``response`` tuples), the update ids processed, what is still under way."""

    responses: list[tuple[object, ...]]
    processed: set[int]
    pending_inbox: int
    held_replies: int
    unsent: list[tuple[object, ...]]  #: (kind, status, attempts, next attempt, last error)
    mid_flow: int

    @property
    def settled(self) -> bool:
        return not (self.pending_inbox or self.held_replies or self.unsent)

    def under_way(self) -> str:
        return (f"inbox rows pending {self.pending_inbox}, held replies {self.held_replies},"
                f" outbox rows unsent {len(self.unsent)} {self.unsent},"
                f" sessions mid-flow {self.mid_flow}")


_RESPONSE_COLUMNS = ", ".join([*(f"u_{k}" for k in UNSUR_KEYS), *PROFILE_FIELDS, "saran"])


async def outcome(db: str) -> Outcome:
    store = await Store.open(db)
    try:
        async with store.reading() as r:
            rows = await r.db.fetchall(
                f"SELECT {_RESPONSE_COLUMNS} FROM survey_responses WHERE channel = 'telegram'"
            )
            seen = await r.db.fetchall(
                "SELECT message_id FROM inbound_seen WHERE channel = 'telegram'"
            )
            held = (await r.db.fetchone("SELECT COUNT(*) FROM held_replies"))[0]
            unsent = [tuple(row) for row in await r.db.fetchall(
                "SELECT kind, status, attempts, next_attempt_at, last_error FROM outbox"
                " WHERE status IN ('pending', 'sending') ORDER BY id"
            )]
            mid_flow = (await r.db.fetchone(
                "SELECT COUNT(*) FROM sessions WHERE flow NOT IN ('idle', 'expired')"
            ))[0]
            pending = (await r.inbox_counts())["pending"]
    finally:
        await store.close()
    return Outcome(
        responses=[tuple(row) for row in rows],
        processed={int(row[0]) for row in seen if str(row[0]).isdigit()},
        pending_inbox=int(pending), held_replies=int(held), unsent=unsent,
        mid_flow=int(mid_flow),
    )


async def settled(db: str, within: float) -> Outcome:
    """Wait until nothing is under way (inbox, held replies, outbox); the last reading
    when it does not settle within ``within`` s (the caller's assertions say what)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        found = await outcome(db)
        if found.settled or asyncio.get_running_loop().time() > deadline:
            return found
        await asyncio.sleep(0.2)


def summary_times(watch: Watch, language: str = LANGUAGE) -> dict[int, list[float]]:
    """When each weekly summary message (with the push's header, any period) arrived, per
    chat that got one."""
    header = template("summary_push_header", language).pattern
    found = {chat: [at for at, text in watch.timed(chat) if header.search(text)]
             for chat in watch.by_chat}
    return {chat: times for chat, times in found.items() if times}


def conversation_faults(
    said: Sequence[tuple[float, str]],
    prompts: Sequence[Expected],
    killed_at: float | None = None,
    in_flight: float = 2.0,
) -> list[str]:
    """How a citizen chat's bot messages (``(arrival time, text)``, in order) differ from
    ``prompts`` in order, each once (then at most the unit's :data:`IKM`): ``[]`` when
    they do not.

    A turn's replies recovered after a crash go out as one message (``deferred_reply``):
    one message may carry two consecutive prompts joined by a blank line. And a turn
    under way on a replica killed at ``killed_at`` is taken over whole: what it had sent
    of the turn (in the ``in_flight`` s before the kill) comes again, merged with the
    rest of the turn — accepted once per chat, after the kill (at least once across a
    crash, never lost: bot/jobs/replicas.py).
    """
    expected = [*prompts, IKM]
    at = 0
    restated = False
    times: list[float] = []  # arrival of the message that matched each prompt
    for number, (arrived, text) in enumerate(said, start=1):
        if at < len(expected) and expected[at].matches(text):
            times.append(arrived)
            at += 1
            continue
        if at + 1 < len(expected) and _joined(expected[at:at + 2]).matches(text):
            times += [arrived, arrived]
            at += 2
            continue
        again = None if restated or killed_at is None or arrived <= killed_at else next(
            ((first, end) for first in (at - 1, at - 2) if first >= 0
             and killed_at - in_flight <= times[first] <= killed_at
             for end in (at, at + 1) if end <= len(expected)
             and _joined(expected[first:end]).matches(text)), None)
        if again is None:
            wanted = expected[at].name if at < len(expected) else "nothing more"
            return [f"message {number} is {text[:40]!r}…, expected {wanted}"]
        restated = True
        times += [arrived] * (again[1] - at)
        at = again[1]
    if at < len(prompts):
        return [f"{len(said)} messages, missing {prompts[at].name}"]
    return []


def _joined(parts: Sequence[Expected]) -> Expected:
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.then(part)
    return joined
