"""/nilaidiri: an employee rates their own work for the current triwulan.

One question per indicator of the SKP year (target, approved realisasi and
capaian shown; Di bawah / Sesuai / Di atas), then one per BerAKHLAK value,
then an optional note (≤ 300 characters, or Lewati) that only the direct
atasan will read. Everything is stored together at the end as a new
self-assessment (history kept, the latest wins). A closed period refuses,
and nothing is stored. The atasan sees it beside each item in /nilai; /skor
marks items two levels apart from the atasan's rating.
"""

from __future__ import annotations

from typing import Any

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
from bot.conversation.flows.staff.common import current_employee, staff_store
from bot.conversation.ports.indicators import Realisasi
from kinerja import skp
from kinerja.models import BERAKHLAK_KEYS, BERAKHLAK_NAMES, Rating
from kinerja.numbers import format_number
from kinerja.periods import period_of

NOTE_MAX = 300
SKIP = "skip"


class SelfAssessFlow(Flow):
    """Steps: ``q:i:<indicator id>`` / ``q:v:<key>`` for each item in ``ctx.data['items']``,
    then ``note``."""

    name = "selfassess"
    title_key = "flow.selfassess"
    commands = ("nilaidiri",)

    async def begin(self, ctx: Context, arg: Any) -> Outcome:
        me = await current_employee(ctx)
        if me is None:
            return Finish((ctx.t("not_linked"),))
        period = period_of("quarter", ctx.now, ctx.config.timezone)
        store = staff_store(ctx)
        if await store.period_closed(period.label, me.unit_id):
            return Finish((ctx.t("period_closed", period=period.label, nama=me.nama),))
        indicators = await store.indicators_of(me.id, period.start.year)
        items = [f"i:{i.id}" for i in indicators] + [f"v:{k}" for k in BERAKHLAK_KEYS]
        ctx.data.update(me=me.id, period=period.label, tahun=period.start.year, items=items,
                        ratings={})
        return Goto("q:" + items[0], (ctx.t("selfassess_intro", period=period.label,
                                            n=len(items)),))

    async def prompt(self, ctx: Context, step: str) -> Prompt:
        data = ctx.data
        if step == "note":
            return Prompt(ctx.t("selfassess_note", max=NOTE_MAX),
                          (Option(SKIP, ctx.t("skip_short")),), free_text=True)
        if not step.startswith("q:"):
            raise KeyError(step)
        item = step[2:]
        position = data["items"].index(item) + 1
        total = len(data["items"])
        if item.startswith("i:"):
            store = staff_store(ctx)
            indicator = await store.indicator_by_id(int(item[2:]))
            assert indicator is not None
            approved = (await store.realisasi_of(indicator.employee_id, indicator.tahun)).get(
                indicator.id, Realisasi()).approved
            capaian = skp.capaian(indicator.target, approved, indicator.arah)
            text = ctx.t(
                "selfassess_indicator", i=position, n=total, indikator=indicator.indikator,
                target=format_number(indicator.target, ctx.language), satuan=indicator.satuan,
                approved=format_number(approved, ctx.language),
                capaian=format_number(capaian, ctx.language, 1),
            )
        else:
            text = ctx.t("selfassess_value", i=position, n=total,
                         value=BERAKHLAK_NAMES[item[2:]])
        return Prompt(text, tuple(Option(r.value, ctx.t("rating_short." + r.value))
                                  for r in Rating))

    async def answer(self, ctx: Context, step: str, answer: Answer) -> Outcome:
        data = ctx.data
        if step.startswith("q:"):
            item = step[2:]
            data["ratings"][item] = Rating(answer.value or "").value
            items = data["items"]
            index = items.index(item)
            return Goto("q:" + items[index + 1]) if index + 1 < len(items) else Goto("note")
        if step == "note":
            note = None
            if answer.value != SKIP:
                note = (answer.text or "").strip() or None
                if note is not None and len(note) > NOTE_MAX:
                    return Retry(ctx.t("description_too_long", n=len(note), max=NOTE_MAX))
            return await self._save(ctx, note)
        raise KeyError(step)

    async def _save(self, ctx: Context, note: str | None) -> Outcome:
        data = ctx.data
        store = staff_store(ctx)
        me = await current_employee(ctx)
        if me is None or me.id != data["me"]:
            return Finish((ctx.t("not_linked"),))
        if await store.period_closed(str(data["period"]), me.unit_id):
            return Finish((ctx.t("period_closed", period=data["period"], nama=me.nama),))
        await store.save_self_assessment(me.id, str(data["period"]), dict(data["ratings"]),
                                         note, ctx.now)
        return Finish((ctx.t("selfassess_saved", period=data["period"]),))
