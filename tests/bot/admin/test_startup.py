"""Every ``kinerja`` command pays for what ``bot.admin.cli`` imports before it runs: heavy
libraries and the conversation engine are imported only by the commands that use them
(bench/cli_startup.py measures the time)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "numpy", "matplotlib", "openpyxl", "segno", "telegram", "pywa", "uvicorn",
         "httpx", "rich", "bot.app.compose", "bot.conversation.engine", "bot.conversation.flows",
         "bot.storage")


def test_importing_the_cli_imports_no_heavy_library_and_no_engine() -> None:
    probe = "import sys, bot.admin.cli; print('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=60, check=True)
    imported = result.stdout.split()
    offenders = sorted({h for h in HEAVY for m in imported if m == h or m.startswith(h + ".")})
    assert offenders == [], f"imported by `import bot.admin.cli`: {offenders}"
