"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl from the machine's binaries in
a temporary folder, on a free loopback port, stopped and deleted at the end.

No service has to run beforehand. The binaries are found through ``KINERJA_PG_BIN``, else
the newest ``/usr/lib/postgresql/*/bin`` (Debian/Ubuntu's ``postgresql`` package), else
``pg_config --bindir``; :func:`find_binaries` returns ``None`` (and the tests skip,
saying why) when there are none. initdb refuses to run as root: as root the server runs
as the ``postgres`` system user (the package creates it), through ``runuser``.

The cluster is made with the C locale and UTF-8 (text sorts by code point, as in
SQLite) and runs without fsync (a test database needs no durability).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

USER = "kinerja"  #: the superuser initdb creates (trust authentication, loopback only)


def find_binaries() -> Path | None:
    """The folder with initdb and pg_ctl, or ``None``. ``KINERJA_PG_BIN``, when set, is the
    only place looked at (set it to an empty folder to run without PostgreSQL)."""
    given = os.environ.get("KINERJA_PG_BIN")
    if given:
        folder = Path(given)
        return folder if (folder / "initdb").exists() and (folder / "pg_ctl").exists() else None
    candidates = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                                 check=True, timeout=10)
            candidates.append(Path(out.stdout.strip()))
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def missing_reason() -> str:
    return (
        "no PostgreSQL server binaries (initdb, pg_ctl): install them "
        "(Debian/Ubuntu: apt-get install postgresql) or set KINERJA_PG_BIN"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    bin: Path
    root: Path
    port: int
    as_user: list[str]

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 120) -> None:
        done = subprocess.run([*self.as_user, *args], capture_output=True, text=True,
                              timeout=timeout, cwd=self.root)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip()}"
                               f" {done.stdout.strip()}")

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                      "-w", "stop", timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


def start(bin_dir: Path) -> Server:
    """initdb a new cluster in a temporary folder and start it on a free loopback port."""
    root = Path(tempfile.mkdtemp(prefix="kinerja-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError as exc:
            shutil.rmtree(root, ignore_errors=True)
            raise RuntimeError("running as root needs the 'postgres' system user") from exc
        os.chown(root, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    server = Server(bin_dir, root, _free_port(), as_user)
    try:
        server._run(str(bin_dir / "initdb"), "-D", str(server.data), "-U", USER,
                    "--auth=trust", "--no-locale", "--encoding=UTF8", "--no-sync")
        options = (f"-p {server.port} -h 127.0.0.1 -k {root} -F"
                   " -c full_page_writes=off -c synchronous_commit=off -c max_connections=200")
        server._run(str(bin_dir / "pg_ctl"), "-D", str(server.data), "-o", options,
                    "-l", str(root / "log"), "-w", "-t", "60", "start")
    except BaseException:
        server.stop()
        raise
    return server
