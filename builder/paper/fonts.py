"""The fonts a printed copy is made with: Typst's own, and Debian's Noto fonts for every other script.

Typst carries Libertinus Serif (Latin, Greek, Cyrillic). Every other script comes
from Debian's Noto fonts (``fonts-noto-core``: Arabic and Urdu, Bengali, Gurmukhi,
Gujarati, Devanagari, Tamil, Hebrew and many more; ``fonts-noto-cjk``: Chinese),
which the README's set-up installs. Only these folders are handed to Typst, never the
machine's other fonts, so the same plan makes the same PDF on any machine that has
them. The template (builder/data/themes/print/review-copy.typ) names the order Typst tries them in.
"""

from __future__ import annotations

from pathlib import Path

#: Where Debian's fonts-noto-core and fonts-noto-cjk put their fonts.
FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))
DEBIAN_PACKAGES = ("fonts-noto-core", "fonts-noto-cjk")


def font_dirs() -> list[Path]:
    """The Noto font folders this machine has (none without the Debian packages)."""
    return [folder for folder in FONT_DIRS if folder.is_dir()]


def missing_fonts_hint() -> str:
    """What to install when the Noto fonts are not here; empty when they are."""
    if font_dirs():
        return ""
    return (f"Install Debian's {' and '.join(DEBIAN_PACKAGES)} packages (the README's set-up "
            "does) to print every script people commonly write in.")
