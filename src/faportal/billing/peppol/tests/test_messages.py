"""Every code the library can refuse with has its words in Swedish and English."""

from __future__ import annotations

import pytest

from faportal.billing.peppol import messages
from faportal.billing.peppol.messages import Code


def test_every_code_has_swedish_and_english_words():
    worded = {**messages.DOCUMENT_PROBLEMS, **messages.READ_PROBLEMS, **messages.VALUE_PROBLEMS}
    assert set(Code) - set(worded) == {Code.SCHEMA}  # a schema error brings its own words
    for code, (swedish, english) in worded.items():
        assert swedish, code
        assert english, code
        assert swedish != english, code


@pytest.mark.parametrize(("field", "swedish"), [("order_number", "Inköpsordernummer (BT-13)"), (None, "Uppgiften")])
def test_fields_are_named_by_their_business_term(field, swedish):
    assert messages.field_name(field, swedish=True) == swedish


def test_an_unknown_schema_error_keeps_the_english_words_said_to_be_from_the_schema():
    assert messages.schema_error_sv("SCHEMAV_OTHER", "Something odd.") == (
        "Dokumentet följer inte UBL 2.1-schemat (SCHEMAV_OTHER): Something odd."
    )


def test_schema_errors_name_elements_by_their_prefix():
    assert (
        messages.short_names(
            "Element '{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}TaxTotal': x"
        )
        == "Element 'cac:TaxTotal': x"
    )
