"""Copy the front-end files we serve from node_modules into static/vendor/ (`make vendor`).

Only what the pages use is copied, so the copies stay small and true to the versions that
package-lock.json pins: the CSS of a few NL Design System (Utrecht) components, joined into one file,
and the Lucide icons named in ICONS. Run it again after `npm install` of a new version or after adding
an icon; tests/foundation/test_design_system.py fails when a copy differs from node_modules.
See docs/web-app.md ("Design system").
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

# The Utrecht component CSS packages we use (each `@utrecht/<name>-css/dist/index.css`).
COMPONENTS = [
    "alert",
    "button",
    "form-field",
    "form-field-description",
    "form-field-error-message",
    "form-label",
    "number-badge",
    "page-header",
    "select",
    "skip-link",
    "status-badge",
    "table",
    "textarea",
    "textbox",
]

# The Lucide icons `{% icon %}` may inline (apps/core/templatetags/driehoek.py). Add a name here, run the script.
ICONS = [
    "baby",
    "bell",
    "book-open",
    "calendar-days",
    "chevron-left",
    "chevron-right",
    "circle-alert",
    "circle-check",
    "clipboard-list",
    "clock",
    "ellipsis",
    "eye",
    "file-text",
    "heart-handshake",
    "house",
    "info",
    "languages",
    "list-checks",
    "log-out",
    "mail",
    "message-circle",
    "school",
    "search",
    "send",
    "shield",
    "star",
    "triangle-alert",
    "user",
    "users",
]


def version(package: str) -> str:
    return json.loads((NODE / package / "package.json").read_text())["version"]


def components_css() -> str:
    parts = [
        "/* NL Design System: Utrecht component CSS (EUPL-1.2), copied by scripts/vendor_assets.py from "
        f"@utrecht/*-css (component-library-css {version('@utrecht/component-library-css')}). Do not edit. */\n"
    ]
    for name in COMPONENTS:
        package = f"@utrecht/{name}-css"
        css = (NODE / package / "dist" / "index.css").read_text()
        parts.append(f"\n/* {package} {version(package)} */\n{css.strip()}\n")
    return "".join(parts)


def icon_svg(name: str) -> str:
    return (NODE / "lucide-static" / "icons" / f"{name}.svg").read_text()


def expected_files() -> dict[Path, str]:
    files = {VENDOR / "utrecht" / "components.css": components_css()}
    for name in ICONS:
        files[VENDOR / "lucide" / f"{name}.svg"] = icon_svg(name)
    files[VENDOR / "lucide" / "LICENSE"] = (NODE / "lucide-static" / "LICENSE").read_text()
    return files


def main() -> int:
    if not NODE.is_dir():
        print("node_modules is missing: run `npm install` first", file=sys.stderr)
        return 1
    for path, text in expected_files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
