"""Which text editor ``wellplan edit`` opens: kept apart so that ``--help`` can say it quickly."""

from __future__ import annotations

import os
import shutil

from builder.errors import PlanError

#: Looked at in this order; the first one set is used.
EDITOR_VARIABLES = ("WELLPLAN_EDITOR", "VISUAL", "EDITOR")
#: Then the first of these that is installed.
FALLBACK_EDITORS = ("nano", "vi")


def choose_editor() -> str:
    """The editor to use: $WELLPLAN_EDITOR, $VISUAL, $EDITOR, or nano, or vi."""
    for variable in EDITOR_VARIABLES:
        if os.environ.get(variable, "").strip():
            return os.environ[variable]
    for fallback in FALLBACK_EDITORS:
        if shutil.which(fallback):
            return fallback
    raise PlanError("No text editor was found. Set the EDITOR environment variable, for example "
                    "EDITOR=nano.")
