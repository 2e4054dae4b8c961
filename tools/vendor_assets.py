"""Copy the JavaScript the book serves itself from node_modules into book/assets/vendor.

The built book must work with no network (from a USB stick), so MathJax, require.js
and the Jupyter widget manager are installed from the npm registry at the versions
pinned in package.json/package-lock.json (`npm ci`), and this script copies just the
files pages use into book/assets/vendor/, which Sphinx serves as _static/vendor/.

    python tools/vendor_assets.py        # after `npm ci`; `make book` runs both
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
DEST = ROOT / "book" / "assets" / "vendor"

# (source under node_modules, destination under vendor/); folders are copied whole.
FILES = [
    ("requirejs/require.js", "require.js"),
    ("mathjax/es5/tex-mml-chtml.js", "mathjax/tex-mml-chtml.js"),
    ("mathjax/es5/input/tex/extensions", "mathjax/input/tex/extensions"),
    ("mathjax/es5/output/chtml/fonts/woff-v2", "mathjax/output/chtml/fonts/woff-v2"),
    ("mathjax/es5/ui", "mathjax/ui"),
    ("mathjax/es5/a11y", "mathjax/a11y"),
    ("@jupyter-widgets/html-manager/dist/embed-amd.js", "html-manager/embed-amd.js"),
]
# The widget manager's stylesheet asks for Font Awesome by these names; browsers take
# the first format they support; every current browser takes woff2 (woff as a spare).
FONT_SUFFIXES = (".woff2", ".woff")
# (requirejs ships its MIT licence inside require.js itself.)
LICENSES = ["mathjax/LICENSE", "@jupyter-widgets/html-manager/LICENSE"]


def main() -> int:
    if not NODE.is_dir():
        print("node_modules/ is missing: run `npm ci` first (or `make book`).", file=sys.stderr)
        return 1
    if DEST.exists():
        shutil.rmtree(DEST)
    for src, dst in FILES:
        source, target = NODE / src, DEST / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    dist = NODE / "@jupyter-widgets/html-manager/dist"
    for font in dist.iterdir():
        if font.suffix in FONT_SUFFIXES:
            shutil.copy2(font, DEST / "html-manager" / font.name)
    for lic in LICENSES:
        shutil.copy2(NODE / lic, DEST / lic.replace("/", "_"))
    shutil.copy2(ROOT / "tools" / "widgets-offline.js", DEST / "widgets-offline.js")
    size = sum(f.stat().st_size for f in DEST.rglob("*") if f.is_file())
    print(f"vendored assets: {size / 1e6:.1f} MB in {DEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
