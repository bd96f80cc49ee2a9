"""The citizen satisfaction survey (SKM, PermenPANRB 14/2017), anonymously.

Entered with a signed payload (QR code / deep link / ``SKM <payload>``) or a
service point id chosen in /menu. Asks the nine unsur (answers 1..4 with the
official labels), the respondent profile (each skippable), an optional
suggestion, then a review with send / change one answer / cancel. Nothing is
stored before "send"; what is stored carries no identity. One chat may send
``survey_per_day`` responses per point per local day, checked through a keyed
hash kept apart from the responses.
"""

from __future__ import annotations

from typing import Any

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
)
from bot.conversation.links import chat_hash, verify
from bot.conversation.ports import NewResponse, PointInfo
from kinerja import skm
from kinerja.models import PROFILE_OPTIONS, UNSUR_KEYS, UNSUR_LABELS, UNSUR_NAMES
from kinerja.periods import period_of

PROFILE_FIELDS: tuple[str, ...] = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")
STEPS: tuple[str, ...] = (
    *(f"u:{k}" for k in UNSUR_KEYS),
    *(f"p:{f}" for f in PROFILE_FIELDS),
    "saran",
)
SKIP = "skip"


def _edit_value(step: str) -> str:
    return step.replace(":", "_")


class SurveyFlow(Flow):
    name = "survey"
    title_key = "flow.survey"

    async def begin(self, ctx: Context, arg: Any) -> Outcome:
        point = await self._point(ctx, arg)
        if point is None:
            return Finish((ctx.t("unknown_code"), ctx.t("hint_menu")))
        if await self._used_up(ctx, point.id):
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
        return Goto(STEPS[0], (intro,))

    async def _point(self, ctx: Context, arg: Any) -> PointInfo | None:
        if isinstance(arg, int):
            point = await ctx.store.point_by_id(arg)
        elif isinstance(arg, str):
            code = verify(arg, ctx.config.secret_key)
            point = await ctx.store.point_by_code(code) if code else None
        else:
            point = None
        return point if point is not None and point.active else None

    def _guard(self, ctx: Context) -> str:
        return chat_hash(ctx.config.secret_key, ctx.channel, ctx.chat_id)

    async def _used_up(self, ctx: Context, point_id: int) -> bool:
        sent = await ctx.store.responses_on_day(self._guard(ctx), point_id, ctx.local_now.date())
        return sent >= ctx.config.survey_per_day

    # --- questions -----------------------------------------------------------

    async def prompt(self, ctx: Context, step: str) -> Prompt:
        if step.startswith("u:"):
            key = step[2:]
            counter = ctx.t("question_counter", i=UNSUR_KEYS.index(key) + 1)
            return Prompt(f"{counter}\n{ctx.t('q.' + key)}", self._unsur_options(ctx, key))
        if step.startswith("p:"):
            field = step[2:]
            return Prompt(ctx.t("p." + field), self._profile_options(ctx, field))
        if step == "saran":
            return Prompt(
                ctx.t("saran_prompt", max=ctx.config.suggestion_max_chars),
                (Option(SKIP, ctx.t("skip_short")),),
                free_text=True,
            )
        if step == "review":
            return Prompt(
                ctx.t("review", lines=self._summary(ctx)),
                (
                    Option("send", ctx.t("review_send")),
                    Option("edit", ctx.t("review_edit")),
                    Option("cancel", ctx.t("review_cancel")),
                ),
            )
        if step == "edit":
            options = [
                Option(_edit_value(s), self._field_name(ctx, s)) for s in STEPS
            ]
            return Prompt(ctx.t("edit_pick"), tuple(options))
        raise KeyError(step)

    def _unsur_options(self, ctx: Context, key: str) -> tuple[Option, ...]:
        return tuple(
            Option(str(n), texts.label(ctx.language, f"a.{key}.{n}", official))
            for n, official in enumerate(UNSUR_LABELS[key], start=1)
        )

    def _profile_options(self, ctx: Context, field: str) -> tuple[Option, ...]:
        options = [
            Option(str(i), texts.label(ctx.language, f"o.{field}.{i}", official))
            for i, official in enumerate(PROFILE_OPTIONS[field])
        ]
        options.append(Option(SKIP, ctx.t("skip"), ctx.t("skip_short")))
        return tuple(options)

    def _field_name(self, ctx: Context, step: str) -> str:
        if step.startswith("u:"):
            key = step[2:]
            name = texts.label(ctx.language, "n." + key, UNSUR_NAMES[key])
            return f"{UNSUR_KEYS.index(key) + 1}. {name}"
        return ctx.t("field." + step.removeprefix("p:"))

    def _answer_label(self, ctx: Context, step: str) -> str:
        data = ctx.data
        if step.startswith("u:"):
            key = step[2:]
            value = data["answers"].get(key)
            return texts.label(ctx.language, f"a.{key}.{value}", UNSUR_LABELS[key][value - 1])
        if step.startswith("p:"):
            field = step[2:]
            value = data["profile"].get(field)
            if value is None:
                return ctx.t("not_answered")
            index = PROFILE_OPTIONS[field].index(value)
            return texts.label(ctx.language, f"o.{field}.{index}", value)
        return data.get("saran") or ctx.t("not_answered")

    def _summary(self, ctx: Context) -> str:
        return "\n".join(
            f"• {self._field_name(ctx, s)}: {self._answer_label(ctx, s)}" for s in STEPS
        )

    # --- answers -------------------------------------------------------------

    async def answer(self, ctx: Context, step: str, answer: Answer) -> Outcome:
        data = ctx.data
        if step.startswith("u:"):
            value = int(answer.value or 0)
            if not 1 <= value <= 4:
                return Retry(ctx.t("choose_number", n=4))
            data["answers"][step[2:]] = value
            return self._next(ctx, step)
        if step.startswith("p:"):
            field = step[2:]
            if answer.value == SKIP:
                data["profile"][field] = None
            else:
                data["profile"][field] = PROFILE_OPTIONS[field][int(answer.value or 0)]
            return self._next(ctx, step)
        if step == "saran":
            if answer.value == SKIP:
                data["saran"] = None
                return self._next(ctx, step)
            text = (answer.text or "").strip()
            limit = ctx.config.suggestion_max_chars
            if len(text) > limit:
                return Retry(ctx.t("saran_too_long", n=len(text), max=limit))
            data["saran"] = text or None
            return self._next(ctx, step)
        if step == "review":
            if answer.value == "send":
                return await self._send(ctx)
            if answer.value == "edit":
                return Goto("edit")
            return Finish((ctx.t("survey_cancelled"),))
        if step == "edit":
            target = next(s for s in STEPS if _edit_value(s) == answer.value)
            data["editing"] = True
            return Goto(target)
        raise KeyError(step)

    def _next(self, ctx: Context, step: str) -> Outcome:
        if ctx.data.get("editing"):
            ctx.data["editing"] = False
            return Goto("review")
        index = STEPS.index(step)
        return Goto(STEPS[index + 1] if index + 1 < len(STEPS) else "review")

    async def _send(self, ctx: Context) -> Outcome:
        data = ctx.data
        point_id = int(data["point_id"])
        if await self._used_up(ctx, point_id):
            return Finish((ctx.t("already_today"),))
        response = NewResponse(
            point_id=point_id,
            submitted_at=ctx.now,
            channel=ctx.channel,
            answers={k: int(data["answers"][k]) for k in UNSUR_KEYS},
            profile={f: data["profile"].get(f) for f in PROFILE_FIELDS},
            saran=data.get("saran"),
        )
        await ctx.store.submit_response(response, self._guard(ctx), ctx.local_now.date())
        say = [ctx.t("thanks", unit=data["unit"])]
        public = await self._public_ikm(ctx, int(data["unit_id"]), data["unit"])
        if public:
            say.append(public)
        return Finish(tuple(say))

    async def _public_ikm(self, ctx: Context, unit_id: int, unit: str) -> str | None:
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
            ikm=f"{index:.2f}",
            mutu=grade.value,
            kinerja=grade.kinerja,
            n=totals.n,
        )
