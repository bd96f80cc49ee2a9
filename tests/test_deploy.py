"""The deployment examples in ``deploy/`` stay true to the program and to each other.

An operator copies these files as they are: a setting name the program does not know, a
command that does not exist, a proxy sending to ports no replica listens on or a body limit
other than the bot's would all fail only in production. Where ``nginx``, ``caddy`` or
``systemd-analyze`` is on PATH the files are also checked by the tool itself (never installed
for the tests: skipped, saying why, where missing).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from bot.admin.cli import app as cli
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
NGINX = DEPLOY / "nginx.conf"
CADDY = DEPLOY / "Caddyfile"
ENV = DEPLOY / "kinerja.env.example"
UNITS = DEPLOY / "systemd"
TEMPLATE = UNITS / "kinerja@.service"
SINGLE = UNITS / "kinerja.service"
TARGET = UNITS / "kinerja.target"
ENV_PATH = "/etc/kinerja/kinerja.env"

#: Variables of the environment file that are not the bot's settings: uvicorn's trusted proxies.
OTHER_VARIABLES = {"FORWARDED_ALLOW_IPS"}

SETTING_NAME = re.compile(r"\bKINERJA_[A-Z0-9_]*[A-Z0-9]\b")


def settings_names() -> set[str]:
    """Every ``KINERJA_*`` variable the program reads (as tests/bot/admin/test_ops.py lists
    them for .env.example)."""
    return {f"KINERJA_{name.upper()}" for name in Settings.model_fields}


def deploy_files() -> list[Path]:
    return sorted(path for path in DEPLOY.rglob("*") if path.is_file())


def env_lines() -> dict[str, str]:
    """The active (uncommented) ``NAME=value`` lines of the example environment file."""
    found: dict[str, str] = {}
    for line in ENV.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, sep, value = line.partition("=")
            assert sep and re.fullmatch(r"[A-Z_][A-Z0-9_]*", name), f"not NAME=value: {line!r}"
            found[name] = value
    return found


def unit_values(path: Path) -> dict[str, list[str]]:
    """``Key=value`` lines of a unit file, every value of a key in order."""
    values: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def nginx_upstream_ports() -> list[int]:
    block = re.search(r"upstream\s+\w+\s*\{(.*?)\}", NGINX.read_text(encoding="utf-8"), re.S)
    assert block, "deploy/nginx.conf has no upstream block"
    return [int(port) for port in re.findall(r"^\s*server\s+127\.0\.0\.1:(\d+)", block[1], re.M)]


def caddy_upstream_ports() -> list[int]:
    to = re.search(r"^\s*to\s+(.+)$", CADDY.read_text(encoding="utf-8"), re.M)
    assert to, "deploy/Caddyfile names no upstreams (`to …`)"
    return [int(address.rsplit(":", 1)[1]) for address in to[1].split()]


def enabled_instances(text: str) -> list[int]:
    """The ports of the ``kinerja@PORT`` instances a ``systemctl enable`` line names."""
    line = re.search(r"systemctl enable[^\n]*kinerja@\d+[^\n]*", text)
    assert line, "no `systemctl enable … kinerja@PORT …` line"
    return [int(port) for port in re.findall(r"kinerja@(\d+)", line[0])]


def size_in_bytes(value: str) -> int:
    """nginx (``1m``, ``512k``) and Caddy (``1MiB``) sizes; a bare number is bytes."""
    match = re.fullmatch(r"(\d+)\s*([kKmMgG]?)(i?B)?", value.strip())
    assert match, f"not a size: {value!r}"
    number, unit, suffix = int(match[1]), match[2].lower(), match[3]
    if suffix == "B" and unit:  # Caddy's decimal units: 1MB = 1,000,000
        return number * 1000 ** " kmg".index(unit)
    return number * 1024 ** " kmg".index(unit or " ")


# --- names and commands ---------------------------------------------------------------------


def test_every_setting_named_in_deploy_exists() -> None:
    known = settings_names()
    named: dict[str, set[str]] = {}
    for path in deploy_files():
        for name in SETTING_NAME.findall(path.read_text(encoding="utf-8")):
            named.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    assert {"KINERJA_DB", "KINERJA_SECRET_KEY", "KINERJA_WEB_PORT"} <= set(named)
    unknown = {name: sorted(files) for name, files in named.items() if name not in known}
    assert not unknown, f"not settings of bot/config.py: {unknown}"


def test_the_units_run_an_existing_command() -> None:
    runner = CliRunner()
    for unit in (TEMPLATE, SINGLE):
        (command,) = unit_values(unit)["ExecStart"]
        program, *args = command.split()
        assert Path(program).name == "kinerja", f"{unit.name}: {program} is not the kinerja CLI"
        assert args == ["run"], f"{unit.name}: the replicas run `kinerja run`, not {args}"
        shown = runner.invoke(cli, [*args, "--help"])
        assert shown.exit_code == 0, f"{unit.name}: `kinerja {' '.join(args)}` is no command"
    # and a command that is not there is noticed
    assert runner.invoke(cli, ["runs", "--help"]).exit_code != 0
    assert 'kinerja = "bot.admin.cli:main"' in (ROOT / "pyproject.toml").read_text("utf-8")


def test_the_template_unit_is_a_replica_per_port() -> None:
    values = unit_values(TEMPLATE)
    assert values["EnvironmentFile"] == [ENV_PATH]
    assert "KINERJA_WEB_PORT=%i" in values["Environment"]
    assert values["KillSignal"] == ["SIGTERM"] and values["Restart"] == ["always"]
    assert values["User"] == ["kinerja"] and values["ProtectSystem"] == ["strict"]
    assert values["NoNewPrivileges"] == ["yes"] and values["PrivateTmp"] == ["yes"]
    assert "kinerja.target" in values["PartOf"] and "kinerja.target" in values["WantedBy"]
    single = unit_values(SINGLE)
    assert single["EnvironmentFile"] == [ENV_PATH] and "%i" not in SINGLE.read_text("utf-8")
    assert "multi-user.target" in unit_values(TARGET)["WantedBy"]


# --- the environment file ---------------------------------------------------------------------


def test_the_env_example_is_read_by_the_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    active = env_lines()
    for name in list(os.environ):
        if name.startswith("KINERJA_"):
            monkeypatch.delenv(name)
    # systemd lets EnvironmentFile= win over Environment=: a port here would give every
    # replica the same one
    assert "KINERJA_WEB_PORT" not in active
    for name, value in active.items():
        assert " #" not in value, f"{name}: systemd keeps a trailing comment in the value"
    assert set(active) <= settings_names() | OTHER_VARIABLES
    copy = tmp_path / "kinerja.env"
    copy.write_text(ENV.read_text(encoding="utf-8"), encoding="utf-8")
    settings = Settings(_env_file=copy)  # type: ignore[call-arg]
    assert settings.db.startswith("postgresql://")
    assert settings.web_host == "127.0.0.1"
    assert settings.secret("secret_key") and settings.webhook_url and settings.public_url
    assert int(active["KINERJA_WEBHOOK_MAX_BYTES"]) == settings.webhook_max_bytes
    # the proxies serve the host the bot registers its webhook on
    host = urlsplit(settings.webhook_url).hostname
    assert urlsplit(settings.public_url).hostname == host
    assert re.search(rf"server_name\s+{re.escape(str(host))};", NGINX.read_text("utf-8"))
    assert re.search(rf"^{re.escape(str(host))}\s*\{{", CADDY.read_text("utf-8"), re.M)


def test_the_env_example_is_the_one_the_units_read() -> None:
    assert ENV_PATH in ENV.read_text(encoding="utf-8").splitlines()[0]


# --- the proxies and the replicas ---------------------------------------------------------------


def test_the_proxies_send_to_the_replicas_the_readme_starts() -> None:
    readme = enabled_instances((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(readme) >= 2, "README starts several replicas"
    assert nginx_upstream_ports() == readme
    assert caddy_upstream_ports() == readme
    assert enabled_instances(TEMPLATE.read_text(encoding="utf-8")) == readme
    assert enabled_instances(TARGET.read_text(encoding="utf-8")) == readme


def test_the_proxies_take_the_bodies_the_bot_takes() -> None:
    limit = Settings.model_fields["webhook_max_bytes"].default
    nginx = NGINX.read_text(encoding="utf-8")
    server = re.search(r"^    client_max_body_size\s+(\S+);", nginx, re.M)
    assert server and size_in_bytes(server[1]) == limit
    caddy = CADDY.read_text(encoding="utf-8")
    webhook = re.search(r"handle @webhook \{.*?max_size\s+(\S+)", caddy, re.S)
    assert webhook and size_in_bytes(webhook[1]) == limit
    buffered = re.search(r"request_buffers\s+(\S+)", caddy)  # what a retry can resend
    assert buffered and size_in_bytes(buffered[1]) == limit


def test_the_webhooks_are_retried_on_another_replica() -> None:
    nginx = NGINX.read_text(encoding="utf-8")
    webhook = re.search(r"location ~ \^/\(telegram\|whatsapp\)/webhook\$ \{(.*?)\}", nginx, re.S)
    assert webhook, "no location for the two webhook paths"
    retry = re.search(r"proxy_next_upstream\s+([^;]+);", webhook[1])
    assert retry and {"error", "timeout", "non_idempotent"} <= set(retry[1].split())
    caddy = CADDY.read_text(encoding="utf-8")
    assert re.search(r"@webhook path /telegram/webhook /whatsapp/webhook", caddy)
    assert re.search(r"lb_retry_match \{\s*method GET POST\s*\}", caddy)
    assert "health_uri /healthz" in caddy and "lb_policy round_robin" in caddy


# --- the tools themselves, where installed ------------------------------------------------------


def test_nginx_accepts_the_config(tmp_path: Path) -> None:
    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if nginx is None or openssl is None:
        pytest.skip("nginx (or openssl, for a test certificate) is not on PATH: "
                    "deploy/nginx.conf is not checked by `nginx -t`")
    cert, key = tmp_path / "test.crt", tmp_path / "test.key"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=bot.example.go.id", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    site = NGINX.read_text(encoding="utf-8")
    site, swapped = re.subn(r"^(\s*ssl_certificate)\s+\S+;", rf"\1 {cert};", site, flags=re.M)
    site, swapped_key = re.subn(r"^(\s*ssl_certificate_key)\s+\S+;", rf"\1 {key};", site,
                                flags=re.M)
    assert swapped == 1 and swapped_key == 1
    (tmp_path / "kinerja.conf").write_text(site, encoding="utf-8")
    (tmp_path / "logs").mkdir()
    temp = tmp_path / "temp"
    temp.mkdir()
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\nhttp {{\n"
        f"  access_log off;\n  client_body_temp_path {temp}/body;\n"
        f"  proxy_temp_path {temp}/proxy;\n  fastcgi_temp_path {temp}/fastcgi;\n"
        f"  uwsgi_temp_path {temp}/uwsgi;\n  scgi_temp_path {temp}/scgi;\n"
        f"  include {tmp_path}/kinerja.conf;\n}}\n",
        encoding="utf-8",
    )
    checked = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(main)],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_caddy_accepts_the_config(tmp_path: Path) -> None:
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("caddy is not on PATH: deploy/Caddyfile is not checked by `caddy validate`")
    version = subprocess.run([caddy, "version"], capture_output=True, text=True, timeout=30)
    found = re.search(r"v?(\d+)\.(\d+)", version.stdout)
    if not found or (int(found[1]), int(found[2])) < (2, 7):
        pytest.skip(f"caddy {version.stdout.strip()} is older than the 2.7 deploy/Caddyfile needs")
    home = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"), "PATH": "/usr/bin:/bin"}
    checked = subprocess.run(
        [caddy, "validate", "--config", str(CADDY), "--adapter", "caddyfile"],
        capture_output=True, text=True, timeout=60, env=home,
    )
    assert checked.returncode == 0, checked.stderr[-2000:]
    assert "Valid configuration" in checked.stdout + checked.stderr


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not on PATH: deploy/systemd is not verified")
    shutil.copy(TEMPLATE, tmp_path / "kinerja@8081.service")
    shutil.copy(SINGLE, tmp_path / SINGLE.name)
    shutil.copy(TARGET, tmp_path / TARGET.name)
    checked = subprocess.run(
        [analyze, "verify", "kinerja@8081.service", SINGLE.name, TARGET.name],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    # the program itself is not installed at /opt/kinerja here: that complaint is expected
    complaints = [line for line in (checked.stdout + checked.stderr).splitlines()
                  if re.search(r"unknown|invalid|failed to parse|bad|not valid", line, re.I)]
    assert not complaints, "\n".join(complaints)
