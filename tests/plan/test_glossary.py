"""The glossary: plain words for the person and carer, the term as written for everyone else."""

from __future__ import annotations

import json

from builder.plan import glossary
from builder.workspace import GLOSSARY_FILE


def test_plain_words_are_for_the_audiences_the_entry_names() -> None:
    assert glossary.plain("Relapse signature", "person") == "Early signs of becoming unwell, stage by stage"
    assert glossary.plain("relapse  signature", "carer:grace") == glossary.plain("Relapse signature", "carer")
    assert glossary.plain("Relapse signature", "gp") == "Relapse signature"
    assert glossary.plain("Relapse signature", "team") == "Relapse signature"
    assert glossary.plain("Something else", "person") == "Something else"


def test_a_check_is_named_by_its_kind_whatever_its_label() -> None:
    ecg = {"kind": "ecg", "label": "Yearly ECG"}
    assert glossary.check_name(ecg, "Yearly ECG", "person") == "Heart tracing (ECG)"
    assert glossary.check_name(ecg, "Yearly ECG", "gp") == "Yearly ECG"


def test_only_terms_a_copy_uses_are_explained_and_only_to_those_they_are_for() -> None:
    used = glossary.explained(["Normal. QTc 428 ms.", "Heart tracing (ECG)"], "person")
    assert [t.term for t in used] == ["ECG (heart tracing)", "QTc"]
    assert glossary.explained(["Normal. QTc 428 ms."], "team") == []
    assert glossary.explained(["QTcX"], "person") == []  # whole words only


def test_every_entry_is_complete_and_for_known_audiences() -> None:
    data = json.loads(GLOSSARY_FILE.read_text(encoding="utf-8"))
    for entry in data["terms"]:
        assert entry["term"].strip() and entry["plain"].strip()
        assert entry["for"] and set(entry["for"]) <= {"person", "carer", "gp", "team"}
