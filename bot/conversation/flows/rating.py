"""/nilai: the direct atasan rates a subordinate's BerAKHLAK values for the triwulan.

Pick a subordinate, then each of the seven values Di bawah / Sesuai / Di atas
ekspektasi. Berorientasi Pelayanan shows the citizens' mean answers on the
SKM unsur perilaku and kompetensi at service points whose officer is that
employee, this triwulan, with their number — evidence only (skp.md). All
seven are stored together after the last one; a later /nilai adds new rows
(the latest wins, history is kept).
"""

from __future__ import annotations

from typing import Any

from bot.conversation.flow import Answer, Context, Finish, Flow, Goto, Option, Outcome, Prompt
from bot.conversation.flows.staff import current_employee, fmt_number, staff_store
from kinerja.models import BERAKHLAK_KEYS, BERAKHLAK_NAMES, Rating
from kinerja.periods import period_of

SERVICE_KEY = "berorientasi_pelayanan"


class RatingFlow(Flow):
    """Steps: ``who``, then ``v:<key>`` for each BerAKHLAK key in order."""

    name = "rating"

    async def begin(self, ctx: Context, arg: Any) -> Outcome:
        me = await current_employee(ctx)
        if me is None:
            return Finish((ctx.t("not_linked"),))
        if not await staff_store(ctx).subordinates(me.id):
            return Finish((ctx.t("rating_no_subordinates"),))
        period = period_of("quarter", ctx.now, ctx.config.timezone)
        ctx.data.update(me=me.id, period=period.label, ratings={})
        return Goto("who")

    async def prompt(self, ctx: Context, step: str) -> Prompt:
        data = ctx.data
        store = staff_store(ctx)
        if step == "who":
            subordinates = await store.subordinates(int(data["me"]))
            return Prompt(
                ctx.t("rating_who", period=data["period"]),
                tuple(Option(str(e.id), f"{e.nama} — {e.jabatan}") for e in subordinates),
            )
        if step.startswith("v:"):
            key = step[2:]
            lines = [ctx.t("rating_value", i=BERAKHLAK_KEYS.index(key) + 1,
                           value=BERAKHLAK_NAMES[key], nama=data["nama"],
                           period=data["period"])]
            previous = data.get("previous", {}).get(key)
            if previous:
                lines.append(ctx.t("rating_previous", rating=ctx.t("rating." + previous)))
            if key == SERVICE_KEY:
                lines.append(await self._citizens(ctx))
            return Prompt(
                "\n".join(lines),
                tuple(Option(r.value, ctx.t("rating." + r.value)) for r in Rating),
            )
        raise KeyError(step)

    async def _citizens(self, ctx: Context) -> str:
        tz = ctx.config.timezone
        period = period_of("quarter", ctx.now, tz)
        start, end = period.bounds(tz)
        score = await staff_store(ctx).officer_score(str(ctx.data["nip"]), start, end)
        if score.n == 0:
            return ctx.t("rating_citizens_none")
        return ctx.t(
            "rating_citizens",
            perilaku=fmt_number(score.perilaku, ctx.language),
            kompetensi=fmt_number(score.kompetensi, ctx.language),
            n=score.n,
        )

    async def answer(self, ctx: Context, step: str, answer: Answer) -> Outcome:
        data = ctx.data
        store = staff_store(ctx)
        if step == "who":
            employee = await store.employee_by_id(int(answer.value or 0))
            if employee is None or employee.atasan_id != data["me"]:
                return Finish((ctx.t("review_not_allowed"),))
            previous = await store.behaviour_of(str(data["period"]), employee.id)
            data.update(employee_id=employee.id, nama=employee.nama, nip=employee.nip,
                        previous=previous)
            return Goto("v:" + BERAKHLAK_KEYS[0])
        if step.startswith("v:"):
            key = step[2:]
            data["ratings"][key] = Rating(answer.value or "").value
            index = BERAKHLAK_KEYS.index(key)
            if index + 1 < len(BERAKHLAK_KEYS):
                return Goto("v:" + BERAKHLAK_KEYS[index + 1])
            return await self._save(ctx)
        raise KeyError(step)

    async def _save(self, ctx: Context) -> Outcome:
        data = ctx.data
        store = staff_store(ctx)
        me = await current_employee(ctx)
        employee = await store.employee_by_id(int(data["employee_id"]))
        if me is None or employee is None or employee.atasan_id != me.id:
            return Finish((ctx.t("review_not_allowed"),))
        await store.rate_behaviour(str(data["period"]), employee.id, me.id,
                                   dict(data["ratings"]), ctx.now)
        summary = "\n".join(
            f"• {BERAKHLAK_NAMES[k]}: {ctx.t('rating.' + data['ratings'][k])}"
            for k in BERAKHLAK_KEYS
        )
        return Finish((ctx.t("rating_saved", nama=employee.nama, period=data["period"],
                             lines=summary),))
