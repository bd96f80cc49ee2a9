"""Apply an import to storage without holding up the bot.

The bot and an import share one SQLite file, and SQLite has one writer: while an import
holds the write lock, every citizen's turn waits (up to the bot's busy timeout, then the
turn fails with "database is locked"). So an import

1. reads what its validation needs (existing codes) through ``store.reading()``, which
   never takes the write lock, and parses and validates the whole file — a bad file is
   reported in full and nothing is written;
2. then writes in short units of work of :data:`BATCH_ROWS` rows (one unit for a small
   file), each re-checking cheaply what another writer could have changed meanwhile
   (the rows it refers to still exist), and pauses :data:`PAUSE_S` between two units so
   a waiting bot gets the lock.

Paper SKM forms are counted once (skm.md, "Paper forms and re-imports"): a form is its
number (``no_kuesioner``) when the file has one, else its content, and identical forms are
counted as a multiset — a file holding k copies of a form of which k' were imported
before adds k − k'. ``paper_forms`` keeps those counts per point, written in the same unit
of work as the responses and re-read inside it, so a re-import of the running spreadsheet
adds only its new rows, the same data as CSV and then as XLSX adds nothing, an import
stopped between units (a crash, Ctrl-C) continues where it stopped when run again, and two
imports of one file side by side add each form once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from bot.admin.imports.parse import (
    ImportFailed,
    Problem,
    Table,
    WriteProgress,
    parse_points,
    parse_services,
    parse_skm,
    parse_units,
)
from bot.app.core import Core
from bot.conversation.ports.survey import NewResponse
from bot.storage import Store, Unit
from bot.storage.organisation import PointRow, ServiceRow, UnitRow

R = TypeVar("R")

#: Rows per unit of work, so one unit holds the writer well under a person's notice. Measured
#: on the project's 2-core machine: 1,000 paper responses (with the day-total trigger of
#: each) take 30 ms alone and 50–60 ms (median) beside a busy bot, into a table growing to
#: 100k rows; an upsert by code is one statement per row, ~0.1 ms (two for a unit or an
#: employee). Paper forms go 2,500 to a unit (~75–150 ms, with their ``paper_forms``
#: counts): with :data:`PAUSE_S` after each, smaller units would spend most of a 100,000-row
#: import pausing (bench/imports.py). A citizen's turn then waits at most about one unit
#: plus the bot's retry pause.
BATCH_ROWS = {"units": 250, "services": 500, "points": 500, "skm": 2500,
              "employees": 250, "targets": 500}

#: Seconds between two units: longer than the bot's longest pause between two attempts
#: at the write lock (50 ms, bot.storage.db._begin), so a waiting turn always finds it free.
PAUSE_S = 0.06


async def write_in_batches(
    store: Store,
    rows: Sequence[R],
    size: int,
    write: Callable[[Unit, Sequence[R], int], Awaitable[None]],
    *,
    start: int = 0,
    progress: WriteProgress | None = None,
) -> None:
    """Call ``write(uow, rows[i:i + size], i)`` for i = start, start + size, … each in its own
    unit of work, pausing :data:`PAUSE_S` between two units; ``progress(done, total)`` after
    each committed unit.

    At least one unit runs (with no rows when there are none left), so a ``write`` that
    also records completion always gets to. An exception stops the import: that unit
    rolls back, the earlier ones stay committed.
    """
    offsets = range(start, len(rows), size) or range(start, start + 1)
    for number, offset in enumerate(offsets):
        if number:
            await asyncio.sleep(PAUSE_S)
        async with store.unit() as uow:
            await write(uow, rows[offset:offset + size], offset)
        if progress is not None:
            progress(min(offset + size, len(rows)), len(rows))


def check_still_there(
    file: str, column: str, wanted: Iterable[str], existing: set[str], written: int, what: str
) -> None:
    """Raise :class:`ImportFailed` when a code the batch refers to has left the database
    since the file was validated (``written``: rows committed by earlier batches)."""
    gone = sorted(set(wanted) - existing)
    if gone:
        raise ImportFailed(
            [Problem(file, 0, column, f"{what} {code!r} tidak ada lagi di basis data "
                                      "(berubah selama impor)") for code in gone],
            written=written,
        )


def parents_first(rows: Sequence[R], key: Callable[[R], str],
                  parent: Callable[[R], str | None]) -> list[R]:
    """``rows`` ordered so that a row's parent in the file comes before it (the links were
    validated acyclic), else in file order: every batch then links to parents that it or
    an earlier batch wrote."""
    by_key = {key(r): r for r in rows}
    depth: dict[str | None, int] = {}
    for row in rows:
        chain: list[str] = []
        code: str | None = key(row)
        while code in by_key and code not in depth:
            chain.append(code)
            code = parent(by_key[code])
        base = depth.get(code, -1)  # a row placed already, or a parent outside the file
        for level, member in enumerate(reversed(chain), start=base + 1):
            depth[member] = level
    return sorted(rows, key=lambda r: depth[key(r)])


async def import_table(
    core: Core, kind: str, table: Table, *, progress: WriteProgress | None = None
) -> str:
    """Validate ``table`` as ``kind`` (units, services, points, skm) and write it; return a
    one-line summary. ``progress(done, total)`` is told after each unit of work.

    A column absent from the file leaves that field of existing rows as it is (README,
    "Import files"). Raises :class:`bot.admin.imports.parse.ImportFailed` on any problem
    of the file — then nothing is written — or when a row it refers to disappeared while
    it was being written (``written`` says how many rows earlier batches kept).
    """
    store, file = core.store, table.file
    if kind == "units":
        async with store.reading() as r:
            units = parse_units(table, await r.unit_parents())
        in_file = {u.code for u in units}
        set_parent, set_population = "parent" in table.columns, "population" in table.columns

        async def write_units(uow: Unit, batch: Sequence[UnitRow], offset: int) -> None:
            parents = {u.parent for u in batch if u.parent and u.parent not in in_file}
            if parents and set_parent:
                check_still_there(file, "parent", parents, await uow.codes("units"), offset,
                                  "unit induk")
            await uow.upsert_units(batch, set_parent=set_parent, set_population=set_population)

        await write_in_batches(store, parents_first(units, lambda u: u.code, lambda u: u.parent),
                               BATCH_ROWS["units"], write_units, progress=progress)
        return f"{len(units)} unit diimpor dari {file}."
    if kind == "services":
        async with store.reading() as r:
            services = parse_services(table, await r.codes("units"))

        async def write_services(uow: Unit, batch: Sequence[ServiceRow], offset: int) -> None:
            check_still_there(file, "unit", {s.unit for s in batch}, await uow.codes("units"),
                              offset, "unit")
            await uow.upsert_services(batch)

        await write_in_batches(store, services, BATCH_ROWS["services"], write_services,
                               progress=progress)
        return f"{len(services)} layanan diimpor dari {file}."
    if kind == "points":
        async with store.reading() as r:
            points = parse_points(table, await r.codes("services"),
                                  set(await r.employee_atasan()))
        set_officer = "officer_nip" in table.columns

        async def write_points(uow: Unit, batch: Sequence[PointRow], offset: int) -> None:
            check_still_there(file, "service", {p.service for p in batch},
                              await uow.codes("services"), offset, "layanan")
            await uow.upsert_points(batch, set_officer=set_officer)

        await write_in_batches(store, points, BATCH_ROWS["points"], write_points,
                               progress=progress)
        return f"{len(points)} titik layanan diimpor dari {file}."
    if kind == "skm":
        return await _import_skm(core, table, progress)
    raise ValueError(f"unknown import kind {kind!r}")


@dataclass(slots=True)
class _Form:
    """The copies of one paper form in a file: ``ident`` (point id, form key); ``content``
    (point id, content key) of a numbered form, else None."""

    ident: tuple[int, str]
    copies: int
    response: NewResponse
    content: tuple[int, str] | None = None


async def _import_skm(core: Core, table: Table, progress: WriteProgress | None) -> str:
    store, file, tz = core.store, table.file, core.settings.tz
    async with store.reading() as r:
        points = {p.code: p.id for p in await r.all_points()}
    forms: dict[tuple[int, str], _Form] = {}
    for form in parse_skm(table, points, tz, datetime.now(UTC).astimezone(tz).date()):
        ident = (form.response.point_id, form.key)
        found = forms.get(ident)
        if found is None:
            content = None if form.content is None else (form.response.point_id, form.content)
            forms[ident] = _Form(ident, 1, form.response, content)
        else:
            found.copies += 1
    total = sum(f.copies for f in forms.values())
    # what was imported before, read without the writer: only forms with copies still to
    # add go to the units of work (a re-import of a large file writes only its new rows)
    async with store.reading() as r:
        before = await r.paper_form_copies(list(forms))
    pending = [f for f in forms.values() if f.copies > before.get(f.ident, 0)]
    # in the order of the tables' keys (point, day): each unit then touches few pages of
    # the responses' index and of survey_day_totals — about half the time of file order
    pending.sort(key=lambda f: (f.ident[0], f.response.submitted_at, f.ident[1]))
    to_add = sum(f.copies - before.get(f.ident, 0) for f in pending)
    del before
    code_of = {point_id: code for code, point_id in points.items()}
    added = 0

    async def write(uow: Unit, batch: Sequence[_Form], offset: int) -> None:
        nonlocal added
        check_still_there(file, "point", {code_of[f.ident[0]] for f in batch},
                          await uow.codes("service_points"), added, "titik layanan")
        # re-read inside the unit: another import of the same forms, beside this one,
        # may have counted some since this one was validated
        contents = [f.content for f in batch if f.content is not None]
        before = await uow.paper_form_copies([f.ident for f in batch] + contents)
        # copies counted by content before the file had form numbers: a numbered form with
        # that content stands for one of them instead of being added again
        unclaimed = {c: before.get(c, 0) for c in contents}
        new_rows: list[NewResponse] = []
        counted: list[tuple[int, str, int]] = []
        taken: dict[tuple[int, str], int] = {}
        for form in batch:
            extra = form.copies - before.get(form.ident, 0)
            if extra <= 0:
                continue
            if form.content is not None and unclaimed.get(form.content):
                claim = min(extra, unclaimed[form.content])
                unclaimed[form.content] -= claim
                taken[form.content] = taken.get(form.content, 0) + claim
                counted.append((*form.ident, claim))
                extra -= claim
            if extra > 0:
                new_rows.extend([form.response] * extra)
                counted.append((*form.ident, extra))
        if new_rows:
            await uow.insert_responses(new_rows)
        if taken:
            await uow.take_paper_forms([(*c, n) for c, n in taken.items()])
        if counted:
            await uow.add_paper_forms(counted)
        added += len(new_rows)

    del forms

    def rows_written(_done: int, _total: int) -> None:
        if progress is not None:
            progress(added, max(to_add, added))

    await write_in_batches(store, pending, BATCH_ROWS["skm"], write, progress=rows_written)
    return f"Survei kertas dari {file}: {added} baru, {total - added} sudah ada."
