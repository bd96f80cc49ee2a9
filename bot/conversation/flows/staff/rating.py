"""/nilai: the atasan rates a subordinate for the triwulan — behaviour and hasil kerja.

Pick a subordinate (direct ones; with ``review_by_second_level`` also their
subordinates), then each of the seven BerAKHLAK values Di bawah / Sesuai /
Di atas ekspektasi. Berorientasi Pelayanan shows the citizens' mean answers
on the SKM unsur perilaku and kompetensi at service points whose officer is
that employee, this triwulan, with their number — evidence only (skp.md).
All seven are stored together after the last one.

Then (or straight away with ``/nilai hasil``) the hasil kerja per indicator:
target, realisasi approved so far this year, capaian and the rating
suggested by :func:`kinerja.skp.suggest_rating`; the atasan may keep the
suggestion or override it per indicator (Di bawah / Sesuai / Di atas / Pakai
saran). Overrides are stored together after the last indicator.

When the employee has assessed themselves (/nilaidiri) for the triwulan, their
own rating is shown beside each value and indicator; the note only to the
direct atasan (not to the atasan's atasan).

Every save appends rows with who and when (the latest wins, history is
kept). A period closed with ``kinerja close-period`` (for the employee's
unit or for all) refuses any new rating or revision, and nothing is stored.
Authorization and closure are checked when the subordinate is picked and
again at every save.
"""

from __future__ import annotations

from typing import Any

from bot.conversation.flow import Answer, Context, Finish, Flow, Goto, Option, Outcome, Prompt
from bot.conversation.flows.staff.common import current_employee, second_level, staff_store
from bot.conversation.ports.indicators import Realisasi
from bot.conversation.ports.people import EmployeeInfo
from kinerja import skp
from kinerja.models import BERAKHLAK_KEYS, BERAKHLAK_NAMES, Rating
from kinerja.numbers import format_index, format_number
from kinerja.periods import period_of

SERVICE_KEY = "berorientasi_pelayanan"
USE_SUGGESTION = "saran"
RESULTS_ARGS = ("hasil", "hk", "results")


class RatingFlow(Flow):
    """Steps: ``who``; ``v:<key>`` per BerAKHLAK key; ``hk``; ``i:<indicator id>``."""

    name = "rating"
    title_key = "flow.rating"
    commands = ("nilai",)

    async def begin(self, ctx: Context, arg: Any) -> Outcome:
        me = await current_employee(ctx)
        if me is None:
            return Finish((ctx.t("not_linked"),))
        if not await staff_store(ctx).reviewable_employees(me.id, second_level(ctx)):
            return Finish((ctx.t("rating_no_subordinates"),))
        period = period_of("quarter", ctx.now, ctx.config.timezone)
        only_results = isinstance(arg, str) and arg.strip().casefold() in RESULTS_ARGS
        ctx.data.update(me=me.id, period=period.label, tahun=period.start.year, ratings={},
                        hk={}, only_results=only_results)
        return Goto("who")

    # --- questions -------------------------------------------------------------

    async def prompt(self, ctx: Context, step: str) -> Prompt:
        data = ctx.data
        store = staff_store(ctx)
        if step == "who":
            employees = await store.reviewable_employees(int(data["me"]), second_level(ctx))
            return Prompt(
                ctx.t("rating_who_results" if data.get("only_results") else "rating_who",
                      period=data["period"]),
                tuple(Option(str(e.id), f"{e.nama} — {e.jabatan}") for e in employees),
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
            lines += self._self_line(ctx, "v:" + key)
            return Prompt(
                "\n".join(lines),
                tuple(Option(r.value, ctx.t("rating." + r.value)) for r in Rating),
            )
        if step == "hk":
            rows = await self._indicator_rows(ctx)
            lines = [self._line(ctx, row) for row in rows]
            return Prompt(
                ctx.t("hk_summary", nama=data["nama"], period=data["period"],
                      lines="\n".join(lines)),
                (Option("edit", ctx.t("hk_edit")), Option("done", ctx.t("hk_done"))),
            )
        if step.startswith("i:"):
            rows = await self._indicator_rows(ctx)
            index = next(n for n, row in enumerate(rows) if str(row["id"]) == step[2:])
            row = rows[index]
            text = ctx.t(
                "hk_item", i=index + 1, n=len(rows), nama=data["nama"], period=data["period"],
                **self._numbers(ctx, row),
            )
            if row["override"]:
                text += "\n" + ctx.t("hk_current", rating=ctx.t("rating." + row["override"]))
            text = "\n".join([text, *self._self_line(ctx, step)])
            options = [Option(r.value, ctx.t("rating_short." + r.value)) for r in Rating]
            options.append(Option(USE_SUGGESTION, ctx.t("hk_use_suggestion")))
            return Prompt(text, tuple(options))
        raise KeyError(step)

    def _self_line(self, ctx: Context, item: str) -> list[str]:
        """The employee's own rating of ``item`` (/nilaidiri), shown beside the question."""
        mine = (ctx.data.get("self") or {}).get(item)
        return [ctx.t("rating_self", rating=ctx.t("rating." + mine))] if mine else []

    async def _citizens(self, ctx: Context) -> str:
        tz = ctx.config.timezone
        period = period_of("quarter", ctx.now, tz)
        start, end = period.bounds(tz)
        score = await staff_store(ctx).officer_score(str(ctx.data["nip"]), start, end)
        if score.n == 0:
            return ctx.t("rating_citizens_none")
        return ctx.t(
            "rating_citizens",
            perilaku=format_index(score.perilaku, ctx.language),
            kompetensi=format_index(score.kompetensi, ctx.language),
            n=score.n,
        )

    async def _indicator_rows(self, ctx: Context) -> list[dict[str, Any]]:
        """The subordinate's indicators with approved realisasi, capaian, suggestion, override."""
        data = ctx.data
        store = staff_store(ctx)
        employee_id = int(data["employee_id"])
        indicators = await store.indicators_of(employee_id, int(data["tahun"]))
        sums = await store.realisasi_of(employee_id, int(data["tahun"]))
        overrides = await store.indicator_ratings_of(str(data["period"]), employee_id)
        rows = []
        for indicator in indicators:
            approved = sums.get(indicator.id, Realisasi()).approved
            capaian = skp.capaian(indicator.target, approved, indicator.arah)
            suggestion = skp.suggest_rating(capaian)
            rows.append({
                "id": indicator.id,
                "indikator": indicator.indikator,
                "satuan": indicator.satuan,
                "target": indicator.target,
                "approved": approved,
                "capaian": capaian,
                "suggestion": suggestion.value if suggestion else None,
                "override": overrides.get(indicator.id),
            })
        return rows

    def _numbers(self, ctx: Context, row: dict[str, Any]) -> dict[str, str]:
        lang = ctx.language
        suggestion = row["suggestion"]
        return {
            "indikator": row["indikator"],
            "satuan": row["satuan"],
            "target": format_number(row["target"], lang),
            "approved": format_number(row["approved"], lang),
            "capaian": format_number(row["capaian"], lang, 1),
            "saran": ctx.t("rating." + suggestion) if suggestion else ctx.t("hk_no_suggestion"),
        }

    def _line(self, ctx: Context, row: dict[str, Any]) -> str:
        line = ctx.t("hk_line", **self._numbers(ctx, row))
        if row["override"]:
            line += ctx.t("hk_override", rating=ctx.t("rating." + row["override"]))
        return line

    # --- answers ---------------------------------------------------------------

    async def _allowed(self, ctx: Context, employee_id: int) -> tuple[EmployeeInfo | None, str]:
        """The employee when this chat may still rate them now, else ``None`` and the reason."""
        store = staff_store(ctx)
        me = await current_employee(ctx)
        employee = await store.employee_by_id(employee_id)
        if (
            me is None
            or me.id != ctx.data["me"]
            or employee is None
            or not await store.may_review(me.id, employee.id, second_level(ctx))
        ):
            return None, ctx.t("rating_not_allowed")
        if await store.period_closed(str(ctx.data["period"]), employee.unit_id):
            return None, ctx.t("period_closed", period=ctx.data["period"], nama=employee.nama)
        return employee, ""

    async def answer(self, ctx: Context, step: str, answer: Answer) -> Outcome:
        data = ctx.data
        store = staff_store(ctx)
        if step == "who":
            employee, reason = await self._allowed(ctx, int(answer.value or 0))
            if employee is None:
                return Finish((reason,))
            previous = await store.behaviour_of(str(data["period"]), employee.id)
            data.update(employee_id=employee.id, nama=employee.nama, nip=employee.nip,
                        previous=previous)
            own = await store.self_assessment_of(str(data["period"]), employee.id)
            data["self"] = own.ratings if own else {}
            say: tuple[str, ...] = ()
            if own is not None:
                say = (ctx.t("rating_self_given", nama=employee.nama),)
                if own.note and employee.atasan_id == data["me"]:  # the note: direct atasan only
                    say += (ctx.t("score_note", nama=employee.nama, note=own.note),)
            if data.get("only_results"):
                return await self._results_or_finish(ctx, say)
            return Goto("v:" + BERAKHLAK_KEYS[0], say)
        if step.startswith("v:"):
            key = step[2:]
            data["ratings"][key] = Rating(answer.value or "").value
            index = BERAKHLAK_KEYS.index(key)
            if index + 1 < len(BERAKHLAK_KEYS):
                return Goto("v:" + BERAKHLAK_KEYS[index + 1])
            return await self._save_behaviour(ctx)
        if step == "hk":
            if answer.value != "edit":
                return Finish((ctx.t("hk_kept"),))
            rows = await self._indicator_rows(ctx)
            return Goto(f"i:{rows[0]['id']}")
        if step.startswith("i:"):
            value = answer.value or ""
            data["hk"][step[2:]] = None if value == USE_SUGGESTION else Rating(value).value
            rows = await self._indicator_rows(ctx)
            ids = [str(row["id"]) for row in rows]
            position = ids.index(step[2:])
            if position + 1 < len(ids):
                return Goto(f"i:{ids[position + 1]}")
            return await self._save_results(ctx, rows)
        raise KeyError(step)

    async def _results_or_finish(self, ctx: Context, say: tuple[str, ...]) -> Outcome:
        if await self._indicator_rows(ctx):
            return Goto("hk", say)
        none = ctx.t("hk_none", nama=ctx.data["nama"], tahun=ctx.data["tahun"])
        return Finish((*say, none))

    async def _save_behaviour(self, ctx: Context) -> Outcome:
        data = ctx.data
        employee, reason = await self._allowed(ctx, int(data["employee_id"]))
        if employee is None:
            return Finish((reason,))
        await staff_store(ctx).rate_behaviour(str(data["period"]), employee.id, int(data["me"]),
                                              dict(data["ratings"]), ctx.now)
        summary = "\n".join(
            f"• {BERAKHLAK_NAMES[k]}: {ctx.t('rating.' + data['ratings'][k])}"
            for k in BERAKHLAK_KEYS
        )
        saved = ctx.t("rating_saved", nama=employee.nama, period=data["period"], lines=summary)
        return await self._results_or_finish(ctx, (saved,))

    async def _save_results(self, ctx: Context, rows: list[dict[str, Any]]) -> Outcome:
        data = ctx.data
        employee, reason = await self._allowed(ctx, int(data["employee_id"]))
        if employee is None:
            return Finish((reason,))
        chosen: dict[int, str | None] = {int(k): v for k, v in data["hk"].items()}
        await staff_store(ctx).rate_indicators(str(data["period"]), int(data["me"]), chosen,
                                               ctx.now)
        lines = []
        for row in rows:
            rating = chosen.get(row["id"])
            if rating:
                label = ctx.t("rating." + rating)
            elif row["suggestion"]:
                label = ctx.t("hk_suggested", rating=ctx.t("rating." + row["suggestion"]))
            else:
                label = ctx.t("hk_no_suggestion")
            lines.append(ctx.t("hk_saved_line", indikator=row["indikator"], rating=label))
        return Finish((ctx.t("hk_saved", nama=employee.nama, period=data["period"],
                             lines="\n".join(lines)),))
