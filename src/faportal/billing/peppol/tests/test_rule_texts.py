"""Every rule of the release has a Swedish text, made from the English text the release has now.

The ids come from the artefacts themselves: the compiled Schematron that runs (XSLT) and its sources (.sch).
When the artefacts are updated (twice a year), these tests list every new rule, every rule whose English text
changed (translate it again) and every rule that is gone.
"""

from __future__ import annotations

import re

import pytest
from lxml import etree

from faportal.billing.peppol.rule_texts import all_texts, swedish
from faportal.billing.peppol.validation import RELEASE

_XSL = "http://www.w3.org/1999/XSL/Transform"
_SVRL = "http://purl.oclc.org/dsdl/svrl"
_SCH = "http://purl.oclc.org/dsdl/schematron"
_SETS = ("CEN-EN16931-UBL", "PEPPOL-EN16931-UBL", "PEPPOLBIS-T01")


def _english(text: str) -> str:
    return re.sub(r"^\[[^\]]+\]\s*-\s*", "", " ".join(text.split()))


@pytest.fixture(scope="module")
def compiled_rules(artifacts) -> dict[str, str]:
    """Rule id → English text, from the XSLT the validator runs."""
    rules: dict[str, str] = {}
    for name in _SETS:
        tree = etree.parse(str(artifacts.root / RELEASE / "xslt" / f"{name}.xslt"))
        for element in tree.iter(f"{{{_SVRL}}}failed-assert", f"{{{_SVRL}}}successful-report"):
            rule_id = element.find(f"{{{_XSL}}}attribute[@name='id']").text
            text = _english("".join(element.find(f"{{{_SVRL}}}text").itertext()))
            assert rules.setdefault(rule_id, text) == text, f"{rule_id} has two texts"
    return rules


@pytest.fixture(scope="module")
def source_rule_ids(artifacts) -> set[str]:
    """Rule ids in the Schematron sources of the same release."""
    ids = set()
    for name in _SETS:
        tree = etree.parse(str(artifacts.root / RELEASE / "sch" / f"{name}.sch"))
        ids |= {element.get("id") for element in tree.iter(f"{{{_SCH}}}assert", f"{{{_SCH}}}report")}
    return ids


def test_the_release_has_the_rules_we_expect(compiled_rules, source_rule_ids):
    # Guards the extraction itself: 979 EN 16931 rules for UBL, 165 PEPPOL, 330 for the order, 17 shared.
    assert len(compiled_rules) == 1457
    assert {"BR-CO-15", "SE-R-005", "PEPPOL-EN16931-R120", "PEPPOL-T01-B00101", "UBL-CR-001"} <= set(compiled_rules)
    assert set(compiled_rules) == source_rule_ids


def test_every_rule_has_a_swedish_text(compiled_rules):
    missing = sorted(set(compiled_rules) - set(all_texts()))
    assert missing == [], "add Swedish texts to data/rule_texts.toml"


def test_no_swedish_text_is_for_a_rule_the_release_does_not_have(compiled_rules):
    assert sorted(set(all_texts()) - set(compiled_rules)) == []


def test_each_swedish_text_was_made_from_the_english_text_the_release_has(compiled_rules):
    changed = sorted(
        rule_id for rule_id, text in all_texts().items() if compiled_rules.get(rule_id, text.en) != text.en
    )
    assert changed == [], "the English text changed: check the Swedish and update both in data/rule_texts.toml"


def test_the_swedish_texts_are_sentences_in_swedish():
    for rule_id, text in all_texts().items():
        assert text.sv, rule_id
        assert text.sv.strip() == text.sv, rule_id
        assert text.sv[0].isupper(), rule_id
        assert text.sv.endswith("."), rule_id
        assert text.sv != text.en, rule_id
        assert not re.search(r"\b(shall|must|should|the|invoice)\b", text.sv), rule_id


def test_the_swedish_text_names_the_business_terms_the_english_one_names():
    # BT-/BG- ids are how a finance clerk finds the field in their own system: they must not get lost.
    for rule_id, text in all_texts().items():
        english_terms = set(re.findall(r"\bB[TG]-\d+\b", text.en))
        swedish_terms = set(re.findall(r"\bB[TG]-\d+\b", text.sv))
        assert english_terms <= swedish_terms, f"{rule_id}: {sorted(english_terms - swedish_terms)}"


def test_a_rule_of_a_newer_release_falls_back_to_its_english_text():
    assert swedish("XX-R-999", "Something new.") == "Something new. (Regeln saknar ännu svensk text.)"
