"""Two people, two real ``kinerja chat`` processes on one database (issue 14, part 4).

An employee reports with /lapor in one process; their atasan, in another process that is
already running, sees the pushed request with its buttons and approves it by typing 1; the
employee's next ``kinerja chat`` shows the decision. Sequenced by what the processes print
(a line is awaited, never a sleep); each wait has a generous deadline only so that a
broken build fails instead of hanging.
"""

from __future__ import annotations

import csv
import io
import queue
import subprocess
import threading
from pathlib import Path

from tests.bot.admin.test_cli import KINERJA, kinerja, kinerja_process, process_environment

FAJAR = "199007142017042021"  # Analis Perizinan, DPMPTSP (demo)
DIAN = "199505082022032020"  # his atasan, Kepala Bidang
BAMBANG = "199005112012121019"  # Kepala Dinas, DPMPTSP: the demo gives heads no reports
DEADLINE = 90.0  #: seconds before a missing line fails the test


class Running:
    """A ``kinerja chat`` process fed line by line; its output read in a thread."""

    def __init__(self, folder: Path, user: str) -> None:
        self.process = subprocess.Popen(
            [KINERJA, "chat", "--user", user], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, cwd=folder, env=process_environment(folder),
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def wait_for(self, text: str) -> str:
        """Everything printed up to and including the line that contains ``text``."""
        start = len(self.seen)
        while True:
            line = self.lines.get(timeout=DEADLINE)
            if line is None:
                raise AssertionError(f"ended before {text!r}:\n{''.join(self.seen)}")
            self.seen.append(line)
            if text in line:
                return "".join(self.seen[start:])

    def close(self) -> tuple[int, str]:
        assert self.process.stdin is not None
        self.process.stdin.close()
        code = self.process.wait(timeout=DEADLINE)
        assert self.process.stderr is not None
        return code, self.process.stderr.read()


def test_employee_reports_and_the_atasan_in_another_process_approves_by_number(
    tmp_path: Path,
) -> None:
    assert kinerja(tmp_path, "demo").returncode == 0
    invited = kinerja(tmp_path, "invite", FAJAR, DIAN, "--format", "csv")
    codes = {row["nip"]: row["code"] for row in csv.DictReader(io.StringIO(invited.stdout))}

    dian = Running(tmp_path, "20")
    try:
        dian.send(f"/daftar {codes[DIAN]}")
        dian.wait_for("Berhasil")

        fajar = kinerja_process(tmp_path, "chat", "--user", "21", stdin="\n".join([
            f"/daftar {codes[FAJAR]}", "/lapor", "1", "5", "Memproses izin usaha", "1",
            "kemarin", "1"]) + "\n")
        assert fajar.returncode == 0, fajar.stderr
        assert "Laporan tersimpan" in fajar.stdout

        pushed = dian.wait_for("3. Komentar")  # shown while Dian's process waits for input
        assert "🔔 📥 Laporan baru dari Fajar Nugroho" in pushed
        assert "  1. Setujui" in pushed
        dian.send("1")
        assert "disetujui" in dian.wait_for("disetujui")
    finally:
        code, errors = dian.close()
    assert code == 0, errors

    again = kinerja_process(tmp_path, "chat", "--user", "21", stdin="")
    assert again.returncode == 0, again.stderr
    assert "🔔 ✅" in again.stdout and "disetujui oleh Dian Permata Sari" in again.stdout


def test_a_reminder_queued_from_the_cli_is_shown_to_its_console_user(tmp_path: Path) -> None:
    assert kinerja(tmp_path, "demo").returncode == 0
    invited = kinerja(tmp_path, "invite", BAMBANG, "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(invited.stdout))
    assert "Berhasil" in kinerja(tmp_path, "chat", "--user", "21",
                                 stdin=f"/daftar {row['code']}\n").stdout
    queued = kinerja(tmp_path, "send-reminders")
    assert queued.returncode == 0, queued.stderr
    assert queued.stdout.startswith("1 pengingat ")
    assert kinerja(tmp_path, "send-reminders").stdout.startswith("0 pengingat "), "once"
    shown = kinerja(tmp_path, "chat", "--user", "21", stdin="")
    assert "🔔" in shown.stdout and "Bambang Wijaya" in shown.stdout
    assert "🔔" not in kinerja(tmp_path, "chat", "--user", "21", stdin="").stdout
