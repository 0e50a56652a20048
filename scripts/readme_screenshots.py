"""Write the README's screenshots from the browser tests, so they always show the real pages.

Runs tests/browser/test_design_system.py (Debian's Chromium, the test data of that file: fictional
people), then copies the phone screenshots it saved under test-results/screenshots/ into
docs/screenshots/. Usage: `DRIEHOEK_TESTING=1 .venv/bin/python scripts/readme_screenshots.py`
(add `--no-run` to copy what the last test run saved).
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "test-results" / "screenshots"
TARGET = ROOT / "docs" / "screenshots"

# The README's pictures, in the order of its "Rondleiding": (file the test saves, name in docs/screenshots).
SHOTS = [
    ("parent-home-360-screen.png", "ouder-start.png"),
    ("parent-child-360-screen.png", "ouder-kind.png"),
    ("parent-timeline-360-screen.png", "ouder-tijdlijn.png"),
    ("parent-plan-360-screen.png", "ouder-plan.png"),
    ("parent-messages-360-screen.png", "ouder-berichten.png"),
    ("parent-more-360-screen.png", "ouder-meer.png"),
    ("teacher-register-360-screen.png", "leerkracht-absentie.png"),
    ("ib-home-360-screen.png", "ib-start.png"),
]


def main(argv: list[str]) -> int:
    if "--no-run" not in argv:
        test = ["-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", "tests/browser/test_design_system.py"]
        if subprocess.call([sys.executable, *test], cwd=ROOT) != 0:  # noqa: S603 - fixed arguments, no input
            print("The browser tests failed: no screenshots copied.", file=sys.stderr)
            return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for source, target in SHOTS:
        shutil.copyfile(SOURCE / source, TARGET / target)
        print(f"docs/screenshots/{target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
