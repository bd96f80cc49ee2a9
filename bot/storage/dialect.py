"""The SQL dialects storage speaks, and every difference between them, in one place.

The repositories write one SQL text for both databases, in the portable subset:
``?`` (or ``:name``) placeholders, ``INSERT … ON CONFLICT … DO NOTHING / DO UPDATE``
with columns of the target table qualified on the right-hand side
(``SET count = survey_guard.count + 1``: PostgreSQL finds a bare ``count`` ambiguous),
``RETURNING``, ``CASE`` instead of SQLite's scalar ``max(a, b)``, ``IS NOT DISTINCT
FROM`` or an explicit ``IS NULL`` test instead of ``IS ?``, ``1 = 1`` instead of
``WHERE 1``. Values are encoded the same on both: times as ISO 8601 text in UTC
(:mod:`bot.storage.base`; fixed width, so text order is time order under any
collation), days as ``YYYY-MM-DD`` text, booleans as the integers 0/1 (columns
``INTEGER CHECK (x IN (0, 1))`` on both).

What cannot be written portably is asked of the executor's :class:`Dialect`
(``self.db.dialect`` in a repository): the JSON functions, and — in the engines — the
placeholders, the new row's id of an ``INSERT``, the catalogue queries and the
statements that begin a transaction. A repository whose SQL is the same on both never
looks at it.

``KINERJA_DB`` names the database (:func:`parse_target`): a path or ``sqlite:///path``
is SQLite (``:memory:`` a private in-memory one); ``postgresql://user@host:port/db``
(or ``postgres://``) is PostgreSQL.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from os import PathLike
from typing import Literal

__all__ = [
    "POSTGRESQL",
    "SQLITE",
    "Dialect",
    "Target",
    "numbered_placeholders",
    "parse_target",
    "redacted",
]

DialectName = Literal["sqlite", "postgresql"]


@dataclass(frozen=True, slots=True)
class Dialect:
    """One SQL dialect. Compare with ``is`` (:data:`SQLITE`, :data:`POSTGRESQL`)."""

    name: DialectName

    @property
    def postgresql(self) -> bool:
        return self.name == "postgresql"

    def json_array_field(self, json_text: str, array_key: str, field: str, alias: str
                         ) -> tuple[str, str]:
        """For ``SELECT <value> FROM t, <from_item>``: each element of the JSON array
        ``array_key`` of the text column ``json_text``, as a FROM item named ``alias``,
        and the text of the element's ``field``. No array (or no key): no rows.

        ``array_key`` and ``field`` are identifiers of our own code, never user input.
        """
        if not (_IDENT.fullmatch(array_key) and _IDENT.fullmatch(field)):
            raise ValueError("JSON keys must be plain identifiers")
        if self.postgresql:
            return (f"jsonb_array_elements(({json_text})::jsonb -> '{array_key}') {alias}",
                    f"{alias} ->> '{field}'")
        return (f"json_each({json_text}, '$.{array_key}') {alias}",
                f"json_extract({alias}.value, '$.{field}')")

    def json_param_rows(self, alias: str, *types: str) -> tuple[str, tuple[str, ...]]:
        """For ``SELECT … FROM <from_item> JOIN …``: one row per element of a JSON array
        passed as one ``?`` parameter whose elements are arrays (``[[1, "a"], …]``), as a FROM
        item named ``alias``, and the SQL of each element's item ``i`` cast to ``types[i]``
        (``INTEGER``, ``TEXT``). Many keys travel as one parameter, under any parameter limit.

        ``alias`` and ``types`` are our own identifiers, never user input.
        """
        if not (_IDENT.fullmatch(alias) and all(_IDENT.fullmatch(t) for t in types)):
            raise ValueError("alias and types must be plain identifiers")
        if self.postgresql:
            return (f"jsonb_array_elements(CAST(? AS jsonb)) {alias}",
                    tuple(f"CAST({alias} ->> {i} AS {t})" for i, t in enumerate(types)))
        return (f"json_each(?) {alias}",
                tuple(f"json_extract({alias}.value, '$[{i}]')" for i in range(len(types))))

    def ordered_concat(self, column: str, separator: str) -> str:
        """The aggregate joining ``column``'s texts of a group with ``separator`` in the
        column's order (``NULL`` for no rows): SQLite's ``group_concat`` over a sorted
        subquery, PostgreSQL's ``string_agg(… ORDER BY …)``. Our own SQL, never input."""
        if not _IDENT.fullmatch(column) or "'" in separator:
            raise ValueError("a plain column and a separator without quotes")
        if self.postgresql:
            return f"string_agg({column}, '{separator}' ORDER BY {column})"
        return f"group_concat({column}, '{separator}')"

    def chat_lock(self, channel: str, chat_id: str) -> tuple[str, tuple[()]] | None:
        """The statement that makes a unit of work the only one handling this chat until it
        ends, across processes — or ``None`` where nothing is needed.

        SQLite: ``None``, a unit holds the one writer already. PostgreSQL: a transaction
        advisory lock on a 64-bit hash of the chat, released by the ``COMMIT`` or
        ``ROLLBACK``: replicas handle one chat's messages one at a time (a hash collision
        only serialises two chats).
        """
        return self.unit_lock(f"chat:{channel}:{chat_id}")

    def unit_lock(self, name: str) -> tuple[str, tuple[()]] | None:
        """The statement that makes a unit of work the only one, across processes, doing
        ``name`` until it ends (``COMMIT`` or ``ROLLBACK``) — ``None`` on SQLite, where a
        unit holds the one writer already. PostgreSQL: a transaction advisory lock on a
        64-bit hash of ``name`` (a collision only serialises two names). Names in use:
        ``chat:<channel>:<chat id>`` (a turn), ``inbox:<channel>:<chat key>`` (recording
        a chat's updates), ``inbox-claim`` (claiming and taking over inbox rows)."""
        if not self.postgresql:
            return None
        # no parameter, so the engine can send it with the BEGIN in one round trip
        # (bot.storage.pg): the key is a number of ours, never the chat's text
        digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
        return f"SELECT pg_advisory_xact_lock({int.from_bytes(digest, 'big', signed=True)})", ()

    def lock_row(self, table: str, row_id: int) -> tuple[str, tuple[int]] | None:
        """A statement locking one row (by ``id``) until the unit ends, for a read-decide-write
        step that replicas could race; ``None`` on SQLite, whose one writer is alone.
        After it, PostgreSQL's later statements see what a unit that held the row
        committed. ``table`` is our own identifier, never input."""
        if not self.postgresql:
            return None
        if not _IDENT.fullmatch(table):
            raise ValueError(table)
        return f"SELECT id FROM {table} WHERE id = ? FOR UPDATE", (row_id,)

    def restart_ids(self, table: str) -> str | None:
        """After rows were copied in with their ids: the statement that makes the table's
        next generated ``id`` follow the highest one (``None`` on SQLite, which takes
        ``max(rowid) + 1`` by itself). ``table`` is our own identifier, never input."""
        if not self.postgresql:
            return None
        if not _IDENT.fullmatch(table):
            raise ValueError(table)
        return (f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")

    def skip_locked(self) -> str:
        """The tail of a claim's ``SELECT … ORDER BY … LIMIT ?``: on PostgreSQL
        ``FOR UPDATE SKIP LOCKED`` — replicas claiming at once each get other rows, without
        waiting for each other; SQLite's one writer claims alone anyway."""
        return " FOR UPDATE SKIP LOCKED" if self.postgresql else ""

    def insert_returning_id(self, sql: str) -> str:
        """An ``INSERT`` that gives the new row's ``id`` as its one row (PostgreSQL has no
        ``lastrowid``; every table :meth:`Executor.insert` is used on has an ``id`` key)."""
        if _RETURNING.search(sql):
            return sql
        return sql.rstrip().rstrip(";") + " RETURNING id"


SQLITE = Dialect("sqlite")
POSTGRESQL = Dialect("postgresql")

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Target:
    """Where the database is: its dialect and what its engine opens (a path, ``:memory:``
    or a PostgreSQL connection URL)."""

    dialect: Dialect
    location: str


def parse_target(target: str | PathLike[str]) -> Target:
    """``KINERJA_DB`` → :class:`Target`.

    ``postgresql://…`` / ``postgres://…`` select PostgreSQL (the URL is handed to the
    driver as it is: user, password, host, port, database, ``?sslmode=…``);
    ``sqlite:///relative/or/absolute`` (``sqlite:////abs`` also works), ``:memory:`` or a
    plain path select SQLite.
    """
    text = str(target)
    lowered = text.lower()
    if lowered.startswith(("postgresql://", "postgres://")):
        return Target(POSTGRESQL, text)
    if lowered.startswith("sqlite://"):
        rest = text[len("sqlite://"):]
        if not rest.startswith("/"):
            raise ValueError(f"KINERJA_DB: {text!r}: write sqlite:///path/to/file.db")
        path = rest[1:]  # sqlite:///k.db -> k.db; sqlite:////var/k.db -> /var/k.db
        return Target(SQLITE, path or ":memory:")
    if "://" in text:
        raise ValueError(
            f"KINERJA_DB: {redacted(text)!r} is neither a file path, sqlite:///… nor "
            "postgresql://…"
        )
    return Target(SQLITE, text)


def redacted(location: str) -> str:
    """A database location fit for a log or a message: a URL's password hidden."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", location)


# --- placeholders ---------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""'(?:[^']|'')*'            # a string literal
      | "(?:[^"]|"")*"            # a quoted identifier
      | --[^\n]*                  # a line comment
      | /\*.*?\*/                 # a block comment
      | \$([A-Za-z_]\w*)?\$.*?\$\1\$   # a dollar-quoted body (PostgreSQL's own SQL)
      | ::                        # a PostgreSQL cast, never a parameter
      | \?                        # a positional parameter
      | (?<![\w:]):([A-Za-z_]\w*) # a named parameter
    """,
    re.VERBOSE | re.DOTALL,
)


@lru_cache(maxsize=4096)
def numbered_placeholders(sql: str) -> tuple[str, tuple[str, ...] | None]:
    """SQLite's ``?`` / ``:name`` placeholders → PostgreSQL's ``$1, $2 …``.

    Returns the SQL and, for named parameters, their names in ``$n`` order (a name used
    twice is one parameter), else ``None``. Placeholders inside literals, quoted
    identifiers and comments are left alone. Mixing both kinds is an error, as in SQLite.
    """
    names: list[str] = []
    positional = 0
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(sql):
        token = match.group(0)
        if token == "?":
            positional += 1
            out.append(sql[last:match.start()] + f"${positional}")
        elif token.startswith(":") and token != "::":
            name = match.group(2)
            if name not in names:
                names.append(name)
            out.append(sql[last:match.start()] + f"${names.index(name) + 1}")
        else:
            continue
        last = match.end()
    if positional and names:
        raise ValueError("SQL mixes ? and :name placeholders")
    out.append(sql[last:])
    return "".join(out), (tuple(names) if names else None)
