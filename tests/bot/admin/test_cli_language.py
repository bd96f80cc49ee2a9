"""The CLI in Indonesian: Click's and Typer's own words (usage, headings, the help option,
"[required]", errors) as well as ours; ``-h``; ``--version``; import help naming columns."""

from __future__ import annotations

import gettext
import os
from importlib.metadata import version
from pathlib import Path

import pytest

from bot.admin import i18n
from bot.admin.cli import app
from tests.bot.admin.test_cli import kinerja

ENGLISH = ("Usage:", "Options", "Arguments", "Commands", "Show this message", "[required]",
           "Error:", "Try '", "Missing", "Invalid value", "No such", "Aborted")


def _all_commands() -> list[list[str]]:
    """Every command path of ``kinerja`` (groups and their commands)."""
    import typer

    paths: list[list[str]] = [[]]
    for info in app.registered_commands:
        paths.append([info.name or info.callback.__name__])  # type: ignore[union-attr]
    for group in app.registered_groups:
        paths.append([str(group.name)])
        sub: typer.Typer = group.typer_instance  # type: ignore[assignment]
        paths += [[str(group.name), str(info.name)] for info in sub.registered_commands]
    return paths


def test_every_help_is_indonesian(tmp_path: Path) -> None:
    paths = _all_commands()
    assert ["staff", "list"] in paths and ["report", "skm"] in paths and ["backup"] in paths
    for path in paths:
        for flag in ("-h", "--help"):
            result = kinerja(tmp_path, *path, flag)
            assert result.returncode == 0, (path, result.stderr)
            assert result.stdout.startswith("Cara pakai: kinerja"), path
            assert "Tampilkan bantuan ini lalu keluar." in result.stdout
            for word in ENGLISH:
                assert word not in result.stdout, (path, word, result.stdout)
    assert "[wajib]" in kinerja(tmp_path, "import", "units", "-h").stdout
    assert not list(tmp_path.iterdir()), "help opens nothing"


@pytest.mark.parametrize(("args", "expected"), [
    (["close-period"], "Galat: Kurang argumen 'period'."),
    (["reopen-period", "2026-Q4"], "Galat: Kurang opsi '--reason'."),
    (["report", "skm", "--format", "odt"],
     "Galat: Nilai tidak valid untuk '--format': 'odt' bukan salah satu dari 'text', 'json', "
     "'csv', 'xlsx', 'png', 'docx', 'pdf'."),
    (["nope"], "Galat: Tidak ada perintah 'nope'."),
    (["report", "skm", "--bogus"], "Galat: Tidak ada opsi --bogus"),
    (["report", "skm", "--unit"], "Galat: Opsi '--unit' memerlukan nilai."),
    (["import", "units", "tidak-ada.csv"],
     "Galat: Nilai tidak valid untuk 'file': Berkas 'tidak-ada.csv' tidak ada."),
    (["link", "extra"], "Galat: Ada argumen yang tidak dikenal (extra)"),
])
def test_usage_errors_are_indonesian(tmp_path: Path, args: list[str], expected: str) -> None:
    result = kinerja(tmp_path, *args)
    assert result.returncode == 2
    assert expected in result.stderr
    if "memerlukan nilai" not in expected:  # Click's parser gives that one without context
        assert result.stderr.startswith("Cara pakai: kinerja")
        assert "untuk bantuan." in result.stderr and "-h'" in result.stderr
    for word in ENGLISH:
        assert word not in result.stderr, word


def test_version_and_short_help(tmp_path: Path) -> None:
    result = kinerja(tmp_path, "--version")
    assert result.returncode == 0 and result.stdout == f"kinerja {version('kinerja')}\n"
    assert kinerja(tmp_path, "-h").stdout == kinerja(tmp_path, "--help").stdout


def test_a_declined_confirmation_is_indonesian(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "init").returncode == 0
    result = kinerja(tmp_path, "close-period", "2026-Q4", stdin="")  # end of input: abort
    assert result.returncode == 1
    assert "Dibatalkan." in result.stderr and "Aborted" not in result.stderr


@pytest.mark.parametrize(("kind", "columns"), [
    ("units", ["code", "name", "parent", "population"]),
    ("services", ["code", "unit", "name"]),
    ("points", ["code", "service", "name", "officer_nip", "active"]),
    ("skm", ["tanggal", "point", "persyaratan", "sarana", "jenis_kelamin", "saran"]),
    ("employees", ["nip", "nama", "jabatan", "unit", "atasan_nip", "phone"]),
    ("targets", ["nip", "tahun", "rhk", "jenis", "indikator", "aspek", "target", "satuan",
                 "arah"]),
])
def test_import_help_names_required_columns_and_formats(
    tmp_path: Path, kind: str, columns: list[str]
) -> None:
    text = kinerja(tmp_path, "import", kind, "-h").stdout
    assert "Wajib:" in text
    for column in columns:
        assert column in text, column
    assert "berkas, baris dan kolomnya" in " ".join(text.split())


def test_the_catalog_is_compiled_and_gettext_is_left_as_it_was(tmp_path: Path) -> None:
    po, mo = i18n.catalog_paths()
    assert mo.read_bytes() == i18n.compile_po(po.read_text(encoding="utf-8")), (
        "run: python -m bot.admin.i18n")
    domain, language = gettext.textdomain(), os.environ.get("LANGUAGE")
    kinerja(tmp_path, "-h")
    assert gettext.textdomain() == domain and os.environ.get("LANGUAGE") == language
    with i18n.click_language():
        assert gettext.gettext("Options") == "Opsi"
        assert gettext.ngettext("{value!r} is not {choice}.",
                                "{value!r} is not one of {choices}.", 1) == (
            "{value!r} bukan salah satu dari {choices}.")
    assert gettext.gettext("Options") == "Options"
