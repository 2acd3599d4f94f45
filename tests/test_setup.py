"""The README's set-up is true on a fresh Debian machine: `make demo` and `make test` install the
Debian packages the voice and the Chinese text need (scripts/system-packages.sh) and, where they
cannot, print the line to run.

A fresh machine is played by a PATH holding only a fake ``id`` and a fake ``apt-get`` that
writes down what it is asked to install: none of the hall's commands are found there.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from hardware.printer.fonts import CJK_FONT_CANDIDATES
from hardware.voice.announcer import ESPEAK

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "system-packages.sh"
FONT = CJK_FONT_CANDIDATES[0]  # the font the script installs is the first the hall looks for


def fresh_machine(folder: Path, uid: int, *args: str) -> tuple[str, list[str]]:
    """Run the script where none of the hall's commands exist; what it printed, and what apt-get installed."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    log = folder / "apt.log"
    for name, body in (("id", f"echo {uid}"), ("apt-get", f'echo "$@" >> {log}')):
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    done = subprocess.run(["/bin/bash", str(SCRIPT), *args], env={"PATH": str(bin_dir)}, capture_output=True,
                          text=True, timeout=30, check=True)
    asked = log.read_text().splitlines() if log.exists() else []
    installed = [line.split()[2:] for line in asked if line.startswith("install")]
    return done.stdout, [p for packages in installed for p in packages if not p.startswith("-")]


def font_wanted() -> set[str]:
    return set() if Path(FONT).exists() else {"fonts-wqy-microhei"}


@pytest.mark.parametrize(("args", "wanted"), [
    (("demo",), {"espeak-ng", "alsa-utils"}),
    ((), {"espeak-ng", "alsa-utils", "chromium", "sox"}),
])
def test_as_root_the_script_installs_the_voice_its_player_and_a_chinese_font(tmp_path, args, wanted):
    printed, installed = fresh_machine(tmp_path, 0, *args)
    assert set(installed) == wanted | font_wanted()
    assert "installing system packages" in printed


def test_elsewhere_it_prints_the_line_to_run(tmp_path):
    printed, installed = fresh_machine(tmp_path, 1000, "demo")
    assert installed == []
    line = re.search(r"sudo apt-get install (.+)", printed)
    assert line and set(line.group(1).split()) == {"espeak-ng", "alsa-utils"} | font_wanted()


def test_the_script_looks_for_what_the_hall_runs():
    """The voice's command, the player and the font path are the ones the code uses."""
    script = SCRIPT.read_text()
    assert f"command -v {ESPEAK} " in script and "command -v aplay " in script
    assert f"[ -e {FONT} ]" in script
    assert FONT.endswith("wqy-microhei.ttc")


def test_make_demo_installs_them_first():
    plan = subprocess.run(["make", "-n", "demo"], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    assert "scripts/system-packages.sh demo" in plan
    assert plan.index("system-packages.sh") < plan.index("hall demo")


def test_the_readme_names_them():
    readme = (ROOT / "README.md").read_text()
    for package in ("espeak-ng", "alsa-utils", "fonts-wqy-microhei", "scripts/system-packages.sh"):
        assert package in readme
