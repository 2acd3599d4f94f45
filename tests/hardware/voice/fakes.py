"""A stand-in for aplay, for the voice tests on a machine without a sound card."""

from __future__ import annotations

import stat
from pathlib import Path


def fake_aplay(tmp_path: Path, seconds: float) -> Path:
    """An ``aplay`` in ``tmp_path/bin`` (put it first on PATH) that says a card exists and "plays"
    each file for ``seconds``, logging when it starts and ends; returns the log's path."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "played.log"
    script = bin_dir / "aplay"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-l" ]; then echo "card 0: Fake [Fake], device 0: Fake"; exit 0; fi\n'
        f'echo "start $2" >> {log}\nsleep {seconds}\necho "end $2" >> {log}\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return log
