"""What the distribution ships: every package of ours, and the migrations inside bot.storage."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("bot", "kinerja")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert found - listed == set(), "add these packages to [tool.setuptools] packages"
    assert "migrations" not in listed, "migrations ship as bot.storage.migrations"
    assert "bot.storage.migrations" in listed


def test_migrations_are_package_data_of_bot_storage() -> None:
    names = sorted(
        entry.name
        for entry in resources.files("bot.storage.migrations").iterdir()
        if entry.name.endswith(".sql")
    )
    on_disk = sorted(path.name for path in (ROOT / "migrations").glob("*.sql"))
    assert names == on_disk and names[0].startswith("0001_")


def test_the_cli_catalog_is_package_data_of_bot_admin() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["bot.admin"]
    assert "locale/*/LC_MESSAGES/*.mo" in patterns
    catalog = resources.files("bot.admin") / "locale" / "id" / "LC_MESSAGES" / "kinerja-cli.mo"
    assert catalog.is_file()


def test_the_web_templates_and_static_files_are_package_data() -> None:
    """Every template and static file of the web face is matched by bot.web's package-data
    patterns (a wheel without them would serve errors: there is no CDN to fall back on)."""
    from fnmatch import fnmatch

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["bot.web"]
    folder = ROOT / "bot" / "web"
    files = [p.relative_to(folder).as_posix() for sub in ("templates", "static")
             for p in (folder / sub).rglob("*") if p.is_file()]
    assert files and all(any(fnmatch(f, pattern) for pattern in patterns) for f in files)
    assert all("/" not in f.split("/", 1)[1] for f in files), "no subfolders: patterns are flat"
