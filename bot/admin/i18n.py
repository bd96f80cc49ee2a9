"""Click's and Typer's own words ("Usage:", "Options", "Show this message and exit.",
"[required]", their error messages) in Indonesian, like the rest of ``kinerja``'s output.

Two mechanisms, because Typer (0.2x) ships its own copy of Click:

- the words Typer still looks up with the standard library's :mod:`gettext` (section
  headings, ``[required]``, ``default:``, "Aborted!"; and all of Click's, should a version use
  Click itself again) are found in the current text domain, for the languages named by
  ``LANGUAGE`` (then ``LC_ALL``, ``LC_MESSAGES``, ``LANG``). :func:`click_language` points that
  lookup at our catalog (``locale/id/LC_MESSAGES/kinerja-cli.mo``, compiled from the ``.po``
  beside it by :func:`compile_po`) for the duration of one command — ``kinerja run``'s whole
  life — and puts everything back afterwards, so a test running the CLI in-process, or a
  program importing it, keeps its own gettext state;
- the words its copy of Click writes directly are put into Indonesian by
  :class:`IndonesianGroup` (help formatter, error display), below.

``python -m bot.admin.i18n`` recompiles the ``.mo`` after the ``.po`` changed.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import struct
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

DOMAIN = "kinerja-cli"
LOCALE_DIR = Path(__file__).with_name("locale")
#: the language of the CLI's own messages (they are written in Indonesian)
CLI_LANGUAGE = "id"


@contextmanager
def click_language(language: str = CLI_LANGUAGE) -> Iterator[None]:
    """Within the block, Click's and Typer's texts come from our catalog in ``language``."""
    previous_domain = gettext.textdomain()
    previous_dir = gettext.bindtextdomain(DOMAIN)
    previous_env = os.environ.get("LANGUAGE")
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = language
    try:
        yield
    finally:
        gettext.textdomain(previous_domain)
        gettext.bindtextdomain(DOMAIN, previous_dir)
        if previous_env is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = previous_env


# Typer vendors its own copy of Click, and that copy writes some of its words directly
# (the usage prefix, the help option's help, "Error:", "Try … for help.", the error
# messages): those are put into Indonesian here, through Typer's public extension points —
# the group class (``cls=``), the context class and its ``formatter_class``.

_PHRASES = {
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
}
_NOUNS = {"file": "Berkas", "directory": "Folder", "path": "Jalur"}
_DETAILS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^(?:Value error, )?(.+) is not one of (.+)\.$", re.S),
     lambda m: f"{m[1]} bukan salah satu dari {m[2]}."),
    (re.compile(r"(?i:^(File|Directory|Path)) (.+) does not exist\.$", re.S),
     lambda m: f"{_NOUNS[m[1].lower()]} {m[2]} tidak ada."),
    (re.compile(r"(?i:^(File|Directory|Path)) (.+) is a directory\.$", re.S),
     lambda m: f"{_NOUNS[m[1].lower()]} {m[2]} adalah folder."),
    (re.compile(r"(?i:^(File|Directory|Path)) (.+) is a file\.$", re.S),
     lambda m: f"{_NOUNS[m[1].lower()]} {m[2]} adalah berkas."),
    (re.compile(r"(?i:^(File|Directory|Path)) (.+) is not readable\.$", re.S),
     lambda m: f"{_NOUNS[m[1].lower()]} {m[2]} tidak dapat dibaca."),
    (re.compile(r"^(?:Value )?(.+) is not a valid (\w+)\.$", re.S),
     lambda m: f"{m[1]} bukan {m[2]} yang valid."),
]
_MESSAGES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^Missing argument (.+?)\.(?: (.*))?$", re.S),
     lambda m: f"Kurang argumen {m[1]}." + (f" {m[2]}" if m[2] else "")),
    (re.compile(r"^Missing option (.+?)\.(?: (.*))?$", re.S),
     lambda m: f"Kurang opsi {m[1]}." + (f" {m[2]}" if m[2] else "")),
    (re.compile(r"^Missing parameter(?::)? (.+?)\.?$", re.S),
     lambda m: f"Kurang parameter {m[1]}."),
    (re.compile(r"^Invalid value for (.+?): (.*)$", re.S),
     lambda m: f"Nilai tidak valid untuk {m[1]}: {_detail(m[2])}"),
    (re.compile(r"^Invalid value: (.*)$", re.S), lambda m: f"Nilai tidak valid: {_detail(m[1])}"),
    (re.compile(r"^No such option: (\S+) \(Possible options: (.+)\)$", re.S),
     lambda m: f"Tidak ada opsi {m[1]} (maksud Anda: {m[2]}?)"),
    (re.compile(r"^No such option: (\S+)$"), lambda m: f"Tidak ada opsi {m[1]}"),
    (re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((.+)\)$", re.S),
     lambda m: f"Ada argumen yang tidak dikenal ({m[1]})"),
    (re.compile(r"^Option (.+) requires (?:an argument|\d+ arguments)\.$"),
     lambda m: f"Opsi {m[1]} memerlukan nilai."),
    (re.compile(r"^Option (.+) does not take a value\.$"),
     lambda m: f"Opsi {m[1]} tidak menerima nilai."),
    (re.compile(r"^Could not open file (.+?): (.*)$", re.S),
     lambda m: f"Berkas {m[1]} tidak dapat dibuka: {m[2]}"),
]


def _detail(text: str) -> str:
    for pattern, replace in _DETAILS:
        match = pattern.match(text)
        if match:
            return replace(match)
    return text


def translate_error(message: str) -> str:
    """A Click/Typer error message in Indonesian (unknown ones are returned as they are:
    our own messages are already Indonesian)."""
    for pattern, replace in _MESSAGES:
        match = pattern.match(message)
        if match:
            return replace(match)
    return _detail(message)


class IndonesianFormatter(typer.Context.formatter_class):  # type: ignore[misc,name-defined]
    """Help text with Click's fixed words in Indonesian."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Cara pakai: " if prefix is None else prefix)

    def write_dl(self, rows: Any, *args: Any, **kwargs: Any) -> None:
        rows = [(first, _PHRASES.get(second, second)) for first, second in rows]
        super().write_dl(rows, *args, **kwargs)


class IndonesianContext(typer.Context):
    """The context of every ``kinerja`` command: its help uses :class:`IndonesianFormatter`."""

    formatter_class = IndonesianFormatter


def show_error(exc: Any) -> None:
    """What Click's ``UsageError.show`` / ``ClickException.show`` print, in Indonesian."""
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
        typer.echo(ctx.get_help(), err=True)
        return
    lines: list[str] = []
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = f"Lihat '{ctx.command_path} {ctx.help_option_names[0]}' untuk bantuan.\n"
        lines.append(f"{ctx.get_usage()}\n{hint}")
    lines.append(f"Galat: {translate_error(exc.format_message())}")
    typer.echo("\n".join(lines), err=True)


class IndonesianGroup(TyperGroup):
    """A ``kinerja`` command group speaking Indonesian: Click's words from our gettext
    catalog (:func:`click_language`), help through :class:`IndonesianContext`, errors shown
    by :func:`show_error`. Use it for every group (``typer.Typer(cls=IndonesianGroup)``)."""

    context_class = IndonesianContext

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None and not isinstance(command, IndonesianGroup):
            command.context_class = IndonesianContext
        return command

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        with click_language():
            try:
                result = super().main(*args, standalone_mode=False, **kwargs)
            except typer.Abort:
                if not standalone_mode:
                    raise
                typer.echo("Dibatalkan.", err=True)
                sys.exit(1)
            except Exception as exc:
                # Click's exceptions (Typer's private copy of them): known by their contract
                if not standalone_mode or not hasattr(exc, "format_message") \
                        or not isinstance(getattr(exc, "exit_code", None), int):
                    raise
                show_error(exc)
                sys.exit(exc.exit_code)
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


# --- a small msgfmt: .po → .mo ---------------------------------------------------------------


def _entries(text: str) -> list[tuple[str, str | None, list[str]]]:
    """(msgid, msgid_plural, msgstrs) of a .po file (no contexts, no fuzzy entries)."""
    entries: list[tuple[str, str | None, list[str]]] = []
    current: dict[str, Any] = {}
    key: str | None = None

    def flush() -> None:
        if "msgid" in current:
            strs = [current[k] for k in sorted(k for k in current if k.startswith("msgstr"))]
            entries.append((current["msgid"], current.get("msgid_plural"), strs))
        current.clear()

    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line and "msgid" in current and any(k.startswith("msgstr") for k in current):
                flush()
            continue
        if line.startswith('"'):
            assert key is not None, f"continuation without a keyword: {raw!r}"
            current[key] += ast.literal_eval(line)
            continue
        word, _, rest = line.partition(" ")
        if word == "msgid" and any(k.startswith("msgstr") for k in current):
            flush()
        key = word
        current[key] = ast.literal_eval(rest)
    flush()
    return entries


def compile_po(text: str) -> bytes:
    """The GNU .mo bytes of a .po file's text (little-endian, no hash table)."""
    pairs: dict[bytes, bytes] = {}
    for msgid, plural, strs in _entries(text):
        key = msgid if plural is None else f"{msgid}\0{plural}"
        pairs[key.encode()] = "\0".join(strs).encode()
    keys = sorted(pairs)
    ids = b"".join(k + b"\0" for k in keys)
    values = b"".join(pairs[k] + b"\0" for k in keys)
    count = len(keys)
    start = 7 * 4 + count * 16
    id_table, offset = [], start
    for k in keys:
        id_table += [len(k), offset]
        offset += len(k) + 1
    value_table, value_offset = [], start + len(ids)
    for k in keys:
        value_table += [len(pairs[k]), value_offset]
        value_offset += len(pairs[k]) + 1
    header = struct.pack("<7I", 0x950412DE, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    return (header + struct.pack(f"<{2 * count}I", *id_table)
            + struct.pack(f"<{2 * count}I", *value_table) + ids + values)


def catalog_paths(language: str = CLI_LANGUAGE) -> tuple[Path, Path]:
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


if __name__ == "__main__":  # pragma: no cover - a developer's tool
    po, mo = catalog_paths()
    mo.write_bytes(compile_po(po.read_text(encoding="utf-8")))
    print(f"{mo} written")
