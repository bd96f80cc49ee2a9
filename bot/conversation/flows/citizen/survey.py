"""The citizen satisfaction survey (SKM, PermenPANRB 14/2017), anonymously.

Entered with a signed payload (QR code / deep link / ``SKM <payload>``) or a
service point id chosen in /menu. Asks the nine unsur (answers 1..4 with the
official labels), the respondent profile (each skippable), an optional
suggestion, then a review with send / change one answer / cancel. Nothing is
stored before "send"; what is stored carries no identity. One chat may send
``survey_per_day`` responses per point per local day, checked through a keyed
hash kept apart from the responses.

Steps: ``unsur:<key>`` (nine, in the regulation's order), ``profile:<field>``
(four), ``saran``, ``review``, ``edit``. ``ctx.data`` holds the point and the
answers given so far (version 1).
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.conversation import texts
from bot.conversation.flow import (
    Answer,
    Context,
    Finish,
    Flow,
    Goto,
    Option,
    Outcome,
    Prompt,
    Retry,
    Step,
)
from bot.conversation.links import chat_hash, verify
from bot.conversation.ports.organisation import OrganisationReader, PointInfo
from bot.conversation.ports.rtl import AlertStore
from bot.conversation.ports.survey import NewResponse, SurveyStore
from kinerja import rtl, skm
from kinerja.models import PROFILE_OPTIONS, UNSUR_KEYS, UNSUR_LABELS, UNSUR_NAMES
from kinerja.numbers import format_index, format_number, parse_number
from kinerja.periods import period_of
from kinerja.saran import classify

PROFILE_FIELDS: tuple[str, ...] = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")
SKIP = "skip"


class SurveyPorts(OrganisationReader, SurveyStore, AlertStore, Protocol):
    """What the survey reads and writes: service points, responses, the daily guard, the
    count of bad responses for the unit head's hourly alert."""


Ctx = Context[SurveyPorts]


def _questions() -> list[tuple[type[Step[SurveyPorts]], str | None]]:
    """Every question in order, as (step, arg): the nine unsur, the profile, the saran."""
    return [
        *((Unsur, key) for key in UNSUR_KEYS),
        *((Profile, field) for field in PROFILE_FIELDS),
        (Saran, None),
    ]


def _next(ctx: Ctx, step: type[Step[SurveyPorts]]) -> Outcome:
    """After an answer: back to the review when editing, else the next question."""
    if ctx.data.get("editing"):
        ctx.data["editing"] = False
        return Goto(Review)
    order = _questions()
    index = order.index((step, ctx.arg))
    if index + 1 < len(order):
        following, arg = order[index + 1]
        return Goto(following, arg=arg)
    return Goto(Review)


def _guard(ctx: Ctx) -> str:
    return chat_hash(ctx.config.secret_key, ctx.channel, ctx.chat_id)


async def _used_up(ctx: Ctx, point_id: int) -> bool:
    sent = await ctx.store.responses_on_day(_guard(ctx), point_id, ctx.local_now.date())
    return sent >= ctx.config.survey_per_day


def _unsur_name(ctx: Ctx, key: str, *, numbered: bool = True) -> str:
    """The unsur's name, ``"1. Persyaratan"`` (``numbered``) or ``"Persyaratan"`` where the
    channel numbers it already (an option label)."""
    name = texts.label(ctx.language, "n." + key, UNSUR_NAMES[key])
    return f"{UNSUR_KEYS.index(key) + 1}. {name}" if numbered else name


class Unsur(Step[SurveyPorts]):
    """One of the nine unsur (``ctx.arg`` is its key): the four official answers."""

    name = "unsur"

    async def prompt(self, ctx: Ctx) -> Prompt:
        key = ctx.arg or ""
        counter = ctx.t("question_counter", i=UNSUR_KEYS.index(key) + 1)
        options = tuple(
            Option(str(n), texts.label(ctx.language, f"a.{key}.{n}", official))
            for n, official in enumerate(UNSUR_LABELS[key], start=1)
        )
        return Prompt(f"{counter}\n{ctx.t('q.' + key)}", options)

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        value = int(answer.value or 0)
        if not 1 <= value <= 4:
            return Retry(ctx.t("choose_number", n=4))
        ctx.data["answers"][ctx.arg] = value
        return _next(ctx, Unsur)


class Profile(Step[SurveyPorts]):
    """One respondent profile field (``ctx.arg``): its options, or skip."""

    name = "profile"

    async def prompt(self, ctx: Ctx) -> Prompt:
        field = ctx.arg or ""
        options = [
            Option(str(i), texts.label(ctx.language, f"o.{field}.{i}", official))
            for i, official in enumerate(PROFILE_OPTIONS[field])
        ]
        options.append(Option(SKIP, ctx.t("skip"), ctx.t("skip_short")))
        if field == AGE_FIELD:  # an age may be typed as it is: "34"
            return Prompt(ctx.t("p.usia_typed"), tuple(options), free_text=True)
        return Prompt(ctx.t("p." + field), tuple(options))

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        field = ctx.arg or ""
        ctx.data.setdefault("typed", {}).pop(field, None)
        if answer.value == SKIP:
            ctx.data["profile"][field] = None
        elif answer.value is not None:
            ctx.data["profile"][field] = PROFILE_OPTIONS[field][int(answer.value)]
        else:  # typed text that is not an option: only the age field takes it
            age = _typed_age(answer.text or "")
            if age is None:
                return Retry(ctx.t("age_invalid", n=len(PROFILE_OPTIONS[field]) + 1))
            ctx.data["profile"][field] = skm.usia_group(age)
            ctx.data["typed"][field] = age  # shown in the review only, never stored
        return _next(ctx, Profile)


AGE_FIELD = "usia"


def _typed_age(text: str) -> int | None:
    """An age typed in years ("34", "34 tahun", "34 th"), or ``None``: whole years within
    :data:`kinerja.skm.AGE_RANGE` only (an option's number was already taken as the
    option by the engine)."""
    words = text.strip().casefold().split()
    if not words or len(words) > 2 or (len(words) == 2 and words[1] not in _YEAR_WORDS):
        return None
    try:
        value = parse_number(words[0])
    except ValueError:
        return None
    if value != int(value) or int(value) not in skm.AGE_RANGE:
        return None
    return int(value)


_YEAR_WORDS = frozenset({"tahun", "thn", "th", "years", "year", "yrs", "y", "yo"})


class Saran(Step[SurveyPorts]):
    """The optional suggestion: free text up to ``suggestion_max_chars``, or skip."""

    name = "saran"

    async def prompt(self, ctx: Ctx) -> Prompt:
        return Prompt(
            ctx.t("saran_prompt", max=ctx.config.suggestion_max_chars),
            (Option(SKIP, ctx.t("skip_short")),),
            free_text=True,
        )

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        if answer.value == SKIP:
            ctx.data["saran"] = None
            return _next(ctx, Saran)
        return _take_saran(ctx, answer.text or "", Saran)


def _take_saran(ctx: Ctx, typed: str, step: type[Step[SurveyPorts]]) -> Outcome:
    """Keep a saran within the limit; one over it is offered cut at the limit (shown in a
    message of its own) or to be typed again."""
    text = typed.strip()
    limit = ctx.config.suggestion_max_chars
    if len(text) > limit:
        cut = text[:limit].rstrip()
        ctx.data["saran_cut"] = cut
        return Goto(SaranCut, (
            ctx.t("saran_too_long_cut", n=format_number(len(text), ctx.language),
                  max=format_number(limit, ctx.language)),
            cut,
        ))
    ctx.data.pop("saran_cut", None)
    ctx.data["saran"] = text or None
    return _next(ctx, step)


class SaranCut(Step[SurveyPorts]):
    """A saran was over the limit: keep it cut at the limit (as shown), or type it again
    (typing here answers straight away)."""

    name = "saran_cut"

    async def prompt(self, ctx: Ctx) -> Prompt:
        return Prompt(
            ctx.t("saran_cut_prompt", max=ctx.config.suggestion_max_chars),
            (Option("cut", ctx.t("saran_use_cut")), Option("retype", ctx.t("saran_retype"))),
            free_text=True,
        )

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        if answer.value == "cut":
            ctx.data["saran"] = ctx.data.pop("saran_cut", None) or None
            return _next(ctx, Saran)
        if answer.value == "retype":
            ctx.data.pop("saran_cut", None)
            return Goto(Saran)
        return _take_saran(ctx, answer.text or "", Saran)


def _field_name(
    ctx: Ctx, step: type[Step[SurveyPorts]], arg: str | None, *, numbered: bool = True
) -> str:
    if step is Unsur:
        return _unsur_name(ctx, arg or "", numbered=numbered)
    return ctx.t("field." + (arg or "saran"))


def _answer_label(ctx: Ctx, step: type[Step[SurveyPorts]], arg: str | None) -> str:
    data = ctx.data
    if step is Unsur:
        value = data["answers"].get(arg)
        return texts.label(ctx.language, f"a.{arg}.{value}", UNSUR_LABELS[arg or ""][value - 1])
    if step is Profile:
        value = data["profile"].get(arg)
        if value is None:
            return ctx.t("not_answered")
        index = PROFILE_OPTIONS[arg or ""].index(value)
        shown = texts.label(ctx.language, f"o.{arg}.{index}", value)
        typed = (data.get("typed") or {}).get(arg)
        return shown if typed is None else ctx.t("age_from_typed", group=shown, age=typed)
    return data.get("saran") or ctx.t("not_answered")


class Review(Step[SurveyPorts]):
    """Every answer, then send / change one / cancel. Only "send" stores anything."""

    name = "review"

    async def prompt(self, ctx: Ctx) -> Prompt:
        lines = "\n".join(
            f"• {_field_name(ctx, step, arg)}: {_answer_label(ctx, step, arg)}"
            for step, arg in _questions()
        )
        return Prompt(
            ctx.t("review", lines=lines),
            (
                Option("send", ctx.t("review_send")),
                Option("edit", ctx.t("review_edit")),
                Option("cancel", ctx.t("review_cancel")),
            ),
        )

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        if answer.value == "send":
            return await _send(ctx)
        if answer.value == "edit":
            return Goto(Edit)
        return Finish((ctx.t("survey_cancelled"),))


def _edit_value(step: type[Step[SurveyPorts]], arg: str | None) -> str:
    return f"{step.name}_{arg}" if arg else step.name


class Edit(Step[SurveyPorts]):
    """Which answer to change; that question is asked again, then the review."""

    name = "edit"

    async def prompt(self, ctx: Ctx) -> Prompt:
        options = tuple(
            Option(_edit_value(step, arg), _field_name(ctx, step, arg, numbered=False))
            for step, arg in _questions()
        )
        return Prompt(ctx.t("edit_pick"), options)

    async def answer(self, ctx: Ctx, answer: Answer) -> Outcome:
        step, arg = next(
            (step, arg) for step, arg in _questions() if _edit_value(step, arg) == answer.value
        )
        ctx.data["editing"] = True
        return Goto(step, arg=arg)


async def _send(ctx: Ctx) -> Outcome:
    data = ctx.data
    point_id = int(data["point_id"])
    if await _used_up(ctx, point_id):
        return Finish((ctx.t("already_today"),))
    response = NewResponse(
        point_id=point_id,
        submitted_at=ctx.now,
        channel=ctx.channel,
        answers={k: int(data["answers"][k]) for k in UNSUR_KEYS},
        profile={f: data["profile"].get(f) for f in PROFILE_FIELDS},
        saran=data.get("saran"),
    )
    await ctx.store.submit_response(response, _guard(ctx), ctx.local_now.date())
    await _count_for_alert(ctx, int(data["unit_id"]), response)
    say = [ctx.t("thanks", unit=data["unit"])]
    public = await _public_ikm(ctx, int(data["unit_id"]), data["unit"])
    if public:
        say.append(public)
    return Finish(tuple(say))


async def _count_for_alert(ctx: Ctx, unit_id: int, response: NewResponse) -> None:
    """A response with an unsur at 1 or a serious saran is counted (counts only, per unit and
    local hour) for the unit head's hourly alert (``bot.jobs.alerts``), unless alerts are off
    (``KINERJA_ALERTS_ENABLED``, or for the unit)."""
    lowest = rtl.lowest_unsur(response.answers)
    serious = classify(response.saran).serious
    if not (lowest or serious) or not ctx.config.alerts_enabled:
        return
    if not (await ctx.store.alert_settings(unit_id)).bad_responses:
        return
    hour = rtl.alert_hour(ctx.now, ctx.config.timezone)
    await ctx.store.note_bad_response(unit_id, hour, lowest, serious)


async def _public_ikm(ctx: Ctx, unit_id: int, unit: str) -> str | None:
    """The unit's IKM for the running quarter, once enough people answered."""
    period = period_of("quarter", ctx.now, ctx.config.timezone)
    start, end = period.bounds(ctx.config.timezone)
    totals = await ctx.store.unit_answer_sums(unit_id, start, end)
    if totals.n < ctx.config.public_ikm_min_responses:
        return None
    index = skm.ikm_from_sums(totals.sums, totals.counts)
    if index is None:
        return None
    grade = skm.mutu(index)
    return ctx.t(
        "thanks_ikm",
        unit=unit,
        period=period.label,
        ikm=format_index(index, ctx.language),
        mutu=grade.value,
        kinerja=grade.kinerja,
        n=totals.n,
    )


class SurveyFlow(Flow[SurveyPorts]):
    """The SKM survey. ``begin``'s argument: a signed payload (str) or a point id (int)."""

    name = "survey"
    title_key = "flow.survey"
    version = 2  # v1 named the steps "u:<key>", "p:<field>"

    def steps(self) -> tuple[Step[SurveyPorts], ...]:
        return (Unsur(), Profile(), Saran(), SaranCut(), Review(), Edit())

    async def begin(self, ctx: Ctx, arg: Any) -> Outcome:
        point = await self._point(ctx, arg)
        if point is None:
            return Finish((ctx.t("unknown_code"), ctx.t("hint_menu")))
        if not point.active:  # a QR still hanging at a counter taken out of use
            return Finish((ctx.t("point_inactive", point=point.name, unit=point.unit_name),))
        if await _used_up(ctx, point.id):
            return Finish((ctx.t("already_today"),))
        ctx.data.update(
            point_id=point.id,
            unit_id=point.unit_id,
            unit=point.unit_name,
            service=point.service_name,
            point=point.name,
            answers={},
            profile={},
            saran=None,
            editing=False,
        )
        intro = ctx.t("survey_intro", unit=point.unit_name, service=point.service_name,
                      point=point.name)
        return Goto(Unsur, (intro,), arg=UNSUR_KEYS[0])

    def at_stake(self, ctx: Ctx) -> str | None:
        answered = len(ctx.data.get("answers") or {})
        if not answered:
            return None
        return ctx.t("survey_at_stake", point=ctx.data.get("point", ""), answered=answered,
                     total=len(UNSUR_KEYS))

    async def preview(self, ctx: Ctx, arg: Any) -> str | Retry:
        point = await self._point(ctx, arg)
        if point is None:
            return Retry(ctx.t("unknown_code"))
        return ctx.t("survey_preview", point=point.name, unit=point.unit_name)

    async def _point(self, ctx: Ctx, arg: Any) -> PointInfo | None:
        if isinstance(arg, int):
            point = await ctx.store.point_by_id(arg)
        elif isinstance(arg, str):
            code = verify(arg, ctx.config.secret_key)
            point = await ctx.store.point_by_code(code) if code else None
        else:
            point = None
        return point
