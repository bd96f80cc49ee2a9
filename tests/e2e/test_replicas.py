"""Three ``kinerja run`` replicas on one PostgreSQL database behind one webhook URL (issue 17,
part 4): what a user would check when one of them dies mid-run.

Citizens take the SKM survey on Telegram; the fake Bot API posts their updates (several
at once, never two of one chat at once) to a round-robin balancer in front of the three
replicas (tests/e2e/replicaload.py). Some updates are delivered again — the balancer
hands a redelivery to a replica that did not have it. The weekly summary of last week is
due as the replicas start: all three race to queue it, and drain the outbox. One replica
is SIGKILLed when 40 % of the conversation is done — at times while it sends summaries;
the survivors must take its chats and its pushes over (its lease,
``KINERJA_REPLICA_LEASE_SECONDS``, is 2 s); it is restarted at 75 %, amid the other
replicas' turns (which it must leave to them), and finds the summary queued.

Then: every citizen was thanked and every survey stored exactly once (the stored
responses are exactly the answers of the citizens thanked); every citizen chat got the
survey's messages in order, each once; every update the platform considers delivered
was processed; nothing is left under way; every recipient got the weekly summary once.
A turn or a push the killed replica had under way is taken over whole: what it had sent
of it just before the kill comes again (at least once across a crash, never lost — see
``conversation_faults`` and ``once``).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.admin.demo import POINTS, SERVICES, UNITS
from bot.conversation import texts
from kinerja.models import UNSUR_KEYS
from kinerja.periods import JAKARTA
from tests import pgserver
from tests.conftest import pg_database
from tests.e2e.replicaload import (
    FIRST_CITIZEN,
    POINT,
    Cluster,
    Watch,
    answers,
    conversation_faults,
    expected_prompts,
    outcome,
    seed,
    settled,
    summary_due_now,
    summary_recipients,
    summary_times,
    survey,
)
from tests.fakes.telegram_api import FakeTelegramAPI

REPLICAS = 3
CITIZENS = 36
RECIPIENTS = 4
REDELIVER = 0.12  #: share of updates delivered again
KILL_AT = 0.4  #: share of the conversation done when a replica is killed
#: … and when it is restarted: amid the thank-yous, whose turns a starting replica must
#: leave to the live replicas that have them under way
RESTART_AT = 0.75
LEASE_SECONDS = 2
WITHIN = 45.0  #: a citizen waiting longer than this for the bot is stuck
ARRIVALS = 3.0  #: the citizens start over this many seconds
TAKEOVER = 15.0  #: the survivors process what the killed replica had within this (s)


def once(times: list[float], killed_at: float, in_flight: float = 2.0) -> bool:
    """A summary came once — or twice when the first copy went out just before the kill:
    the killed replica was sending it, and the replica taking its push over sends it
    whole again (at least once across a crash, never lost)."""
    return len(times) == 1 or (
        len(times) == 2 and killed_at - in_flight <= times[0] <= killed_at < times[1])


async def test_three_replicas_with_one_killed_lose_nothing_and_keep_order(
    pg_server: pgserver.Server, tmp_path: Path
) -> None:
    rng = random.Random(17)
    recipients = summary_recipients(RECIPIENTS)
    scripts = [answers(rng) for _ in range(CITIZENS)]
    chats = [FIRST_CITIZEN + i for i in range(CITIZENS)]
    prompts = expected_prompts()
    async with pg_database(pg_server) as db:
        await seed(db, datetime.now(UTC), recipients)
        api = FakeTelegramAPI(webhook_connections=8)
        await api.start()
        try:
            watch = Watch(api)
            env = {"KINERJA_REPLICA_LEASE_SECONDS": str(LEASE_SECONDS),
                   **summary_due_now(JAKARTA)}
            async with Cluster(tmp_path, db, api, REPLICAS, env) as cluster:
                redelivered: list[int] = []

                def again(update_id: int) -> None:
                    if rng.random() < REDELIVER / 2:
                        redelivered.append(update_id)
                        api.redeliver(update_id)

                async def citizen(index: int) -> None:
                    await asyncio.sleep(ARRIVALS * index / CITIZENS)
                    await survey(api, watch, chats[index], scripts[index], prompts,
                                 within=WITHIN, injected=again, answered=again)

                total = CITIZENS * len(prompts)

                def progress() -> int:
                    """The survey's messages the citizens got so far (of ``total``)."""
                    return sum(min(watch.count(c), len(prompts)) for c in chats)
                done = asyncio.Event()
                notes: list[str] = []
                killed_at: list[float] = []

                async def chaos() -> None:
                    """Kill replica 0 at KILL_AT of the conversation; once every update
                    confirmed before the kill is processed (the survivors took its chats
                    over) and RESTART_AT of the conversation is done, restart it."""
                    while progress() < KILL_AT * total:
                        if done.is_set():
                            notes.append("the load ended before the kill")
                            return
                        await asyncio.sleep(0.05)
                    await cluster.kill(0)
                    killed_at.append(watch.loop.time())
                    notes.append(f"killed at {progress()}/{total}")
                    sending = [r for r in (await outcome(db)).unsent if r[1] == "sending"]
                    notes.append(f"outbox rows being sent at the kill: {len(sending)}")
                    confirmed = set(api.confirmed)
                    deadline = asyncio.get_running_loop().time() + TAKEOVER
                    while not confirmed <= (await outcome(db)).processed:
                        if asyncio.get_running_loop().time() > deadline:
                            missing = confirmed - (await outcome(db)).processed
                            notes.append(f"takeover: {len(missing)} updates confirmed before"
                                         f" the kill not processed {TAKEOVER:.0f} s later")
                            break
                        await asyncio.sleep(0.25)
                    while progress() < RESTART_AT * total:
                        if done.is_set():
                            break
                        await asyncio.sleep(0.05)
                    await cluster.restart(0)
                    notes.append(f"restarted at {progress()}/{total}")

                chaos_task = asyncio.create_task(chaos())
                results = await asyncio.gather(*(citizen(i) for i in range(CITIZENS)),
                                               return_exceptions=True)
                done.set()
                await chaos_task
                with contextlib.suppress(AssertionError):
                    await api.wait_for(lambda: api.pending == 0, 30)
                final = await settled(db, 30)
                logs = cluster.logs()
                balancer = cluster.balancer
                assert balancer is not None
        finally:
            await api.stop()

    for result in results:  # a harness error is not "stuck"
        if isinstance(result, BaseException) and not isinstance(result, TimeoutError):
            raise result
    thanked = [i for i, r in enumerate(results) if r is None]
    assert notes and notes[0].startswith("killed at"), notes  # the kill came mid-run
    assert all(balancer.forwarded[i] for i in range(REPLICAS)), balancer.forwarded
    assert redelivered, "no update was delivered again"

    # everything a user would check, gathered: one failure lists every problem
    problems: dict[str, object] = {}
    if any(n.startswith("takeover") for n in notes):
        problems["takeover"] = notes
    if again := [u for u in redelivered if len(set(balancer.routed[u])) < 2]:
        problems["redelivered to the same replica"] = again
    if stuck := [chats[i] for i, r in enumerate(results) if isinstance(r, BaseException)]:
        problems[f"citizens not thanked within {WITHIN:.0f} s"] = stuck
    faults = {chat: f for chat in chats
              if (f := conversation_faults(watch.timed(chat), prompts, killed_at[0]))}
    if faults:
        problems["chats whose messages are out of order, twice or missing"] = faults
    # every survey acknowledged is stored, once; nothing else is
    stored, acknowledged = Counter(final.responses), Counter(scripts[i].response for i in thanked)
    if stored != acknowledged:
        problems["responses stored but not acknowledged (or twice)"] = sum(
            (stored - acknowledged).values())
        problems["responses acknowledged but not stored"] = sum((acknowledged - stored).values())
    if lost := set(api.confirmed) - final.processed:
        problems["updates confirmed to the platform, never processed"] = sorted(lost)
    if api.pending:
        problems["updates the platform could not deliver"] = api.pending
    if not final.settled or final.mid_flow:
        problems["left under way"] = final.under_way()
    summaries = summary_times(watch)
    if wrong := {chat: len(times) for chat, times in summaries.items()
                 if not once(times, killed_at[0])}:
        problems["weekly summaries per chat (expected 1 per recipient)"] = wrong
    if missing := [r.chat_id for r in recipients if r.chat_id not in summaries]:
        problems["recipients without their weekly summary"] = missing
    if others := set(summaries) - {r.chat_id for r in recipients}:
        problems["weekly summaries to chats of no recipient"] = sorted(others)
    listed = "\n".join(f"- {what}: {found}" for what, found in problems.items())
    assert not problems, f"{listed}\n{notes}; logs: {logs}"


def a_good_conversation() -> list[str]:
    """What a citizen reads in a survey at the demo's first point, written from the catalog
    (the review's lines and the IKM figures as any answers would make them)."""
    point = next(p for p in POINTS if p.code == POINT)
    service = next(s for s in SERVICES if s.code == point.service)
    unit = next(u for u in UNITS if u.code == service.unit).name
    said = [texts.text("id", "survey_intro", unit=unit, service=service.name, point=point.name)]
    said += [texts.text("id", "question_counter", i=i) + "\n" + texts.text("id", "q." + k)
             for i, k in enumerate(UNSUR_KEYS, start=1)]
    said += [texts.text("id", k) for k in
             ("p.jenis_kelamin", "p.usia_typed", "p.pendidikan", "p.pekerjaan")]
    said.append(texts.text("id", "saran_prompt", max=1000))
    said.append(texts.text("id", "review", lines="• 1. Persyaratan: Sesuai"))
    said.append(texts.text("id", "thanks", unit=unit))
    return said


def test_the_conversation_check_finds_a_duplicate_a_swap_and_a_gap() -> None:
    """The e2e's order check (no PostgreSQL needed): it passes the survey as the flow
    says it, a crash-recovered turn sent as one message and the unit's IKM at the end,
    and once a turn the killed replica had under way sent again after the kill; it fails
    a message twice, two messages swapped, one missing, one more thank-you."""
    prompts = expected_prompts()
    good = a_good_conversation()
    ikm = texts.text("id", "thanks_ikm", unit="U", period="2026-Q4", ikm="80,1", mutu="B",
                     kinerja="Baik", n=12)

    def check(said: list[str], killed_at: float | None = None) -> list[str]:
        """``said`` 3 s apart, from t=0; a kill at ``killed_at``."""
        return conversation_faults([(3.0 * i, t) for i, t in enumerate(said)], prompts,
                                   killed_at)

    assert check(good) == []
    assert check([*good, ikm]) == []
    assert check([good[0] + "\n\n" + good[1], *good[2:]]) == []
    assert check([*good[:-1], good[-1] + "\n\n" + ikm]) == []

    assert check([*good[:4], good[3], *good[4:]])  # twice
    assert check([*good[:4], good[5], good[4], *good[6:]])  # swapped
    assert check(good[:-1])  # no thank-you
    assert check([*good[:7], *good[8:]])  # a question skipped
    assert check([*good, ikm, good[-1]])  # thanked twice
    assert check([*good, good[-1] + "\n\n" + ikm])

    # killed after the intro was sent (message 0 at t=0), before the first question:
    # the turn is taken over whole — the intro comes again, with the question
    restated = [good[0], good[0] + "\n\n" + good[1], *good[2:]]
    assert check(restated, killed_at=1.0) == []
    assert check(restated, killed_at=None)  # no kill: a duplicate
    assert check(restated, killed_at=2.5)  # the intro was long sent: a duplicate
    assert check(restated, killed_at=3.5)  # came again before the kill: a duplicate
    assert check([*restated[:5], restated[4], *restated[5:]], killed_at=1.0)  # once more
    # killed after the thank-you and the IKM were sent: both again, as one message
    thanked = [*good, ikm]
    n = len(thanked)
    assert check([*thanked, good[-1] + "\n\n" + ikm], killed_at=3.0 * n - 4.5) == []
    assert check([*thanked, good[-1] + "\n\n" + ikm], killed_at=3.0 * n + 1)


def test_a_summary_may_come_twice_only_when_the_killed_replica_was_sending_it() -> None:
    assert once([5.0], killed_at=10.0)
    assert once([9.0, 12.0], killed_at=10.0)  # sent at 9, killed at 10, sent again
    assert not once([5.0, 12.0], killed_at=10.0)  # long sent before the kill
    assert not once([9.0, 9.5], killed_at=10.0)  # twice before the kill
    assert not once([11.0, 12.0], killed_at=10.0)  # twice after it
    assert not once([9.0, 11.0, 12.0], killed_at=10.0)
