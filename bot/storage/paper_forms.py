"""Paper survey forms already imported, counted per service point and form identity
(migration 0008, skm.md "Paper forms and re-imports").

Kept apart from ``survey_responses``: no response id, no time finer than the day, so the
table cannot be joined to a response; an import writes its responses and these counts in
one unit of work.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.storage.base import Repository


class PaperFormRepository(Repository):
    async def paper_form_copies(
        self, keys: Sequence[tuple[int, str]]
    ) -> dict[tuple[int, str], int]:
        """How many copies of each (point id, form key) were imported before; forms never
        imported are absent. One statement however many keys (they travel as one JSON
        parameter)."""
        if not keys:
            return {}
        keys_from, (point_id, form_key) = self.db.dialect.json_param_rows(
            "j", "INTEGER", "TEXT"
        )
        rows = await self.db.fetchall(
            f"SELECT f.point_id, f.form_key, f.copies FROM {keys_from}"
            f" JOIN paper_forms f ON f.point_id = {point_id} AND f.form_key = {form_key}",
            (json.dumps(list(keys), ensure_ascii=False),),
        )
        return {(r[0], r[1]): int(r[2]) for r in rows}

    async def add_paper_forms(self, added: Sequence[tuple[int, str, int]]) -> None:
        """Count ``copies`` more of each (point id, form key, copies) as imported."""
        await self.db.executemany(
            "INSERT INTO paper_forms (point_id, form_key, copies) VALUES (?, ?, ?)"
            " ON CONFLICT (point_id, form_key)"
            " DO UPDATE SET copies = paper_forms.copies + excluded.copies",
            [a for a in added if a[2] > 0],
        )

    async def take_paper_forms(self, taken: Sequence[tuple[int, str, int]]) -> None:
        """Count ``copies`` fewer of each (point id, form key, copies) — copies counted by
        content that a numbered form now stands for; a count reaching 0 is removed. Each
        count must hold at least ``copies`` (the caller read it in the same unit)."""
        rows = [(point_id, key, copies) for point_id, key, copies in taken if copies > 0]
        await self.db.executemany(
            "DELETE FROM paper_forms WHERE point_id = ? AND form_key = ? AND copies = ?", rows)
        await self.db.executemany(
            "UPDATE paper_forms SET copies = copies - ?"
            " WHERE point_id = ? AND form_key = ? AND copies > ?",
            [(copies, point_id, key, copies) for point_id, key, copies in rows])
