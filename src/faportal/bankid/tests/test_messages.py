import pytest

from faportal.bankid.messages import MESSAGES, message, rfa_for_collect
from faportal.bankid.types import CollectResult, HintCode, Status


def _result(status: Status, raw_hint: str | None) -> CollectResult:
    return CollectResult(
        order_ref="ref",
        status=status,
        hint_code=HintCode.parse(raw_hint) if raw_hint is not None else None,
        raw_hint_code=raw_hint,
    )


PENDING, FAILED = Status.PENDING, Status.FAILED


@pytest.mark.parametrize(
    ("status", "hint", "qr", "autostart", "mobile", "rfa"),
    [
        (PENDING, "outstandingTransaction", True, False, False, "RFA1"),
        (PENDING, "outstandingTransaction", True, True, False, "RFA1"),
        (PENDING, "outstandingTransaction", False, True, False, "RFA13"),
        (PENDING, "outstandingTransaction", False, True, True, "RFA13"),
        (PENDING, "outstandingTransaction", False, False, True, "RFA1"),
        (PENDING, "noClient", False, True, False, "RFA1"),
        (PENDING, "started", False, True, False, "RFA15A"),
        (PENDING, "started", False, True, True, "RFA15B"),
        (PENDING, "userSign", True, False, False, "RFA9"),
        (PENDING, "userMrtd", True, False, False, "RFA23"),
        (PENDING, "userCallConfirm", False, False, True, "RFA21"),
        (PENDING, "processing", True, False, False, "RFA21"),
        (PENDING, None, True, False, False, "RFA21"),
        (FAILED, "expiredTransaction", True, False, False, "RFA8"),
        (FAILED, "certificateErr", True, False, False, "RFA16"),
        (FAILED, "userCancel", True, False, False, "RFA6"),
        (FAILED, "cancelled", True, False, False, "RFA3"),
        (FAILED, "startFailed", True, False, False, "RFA17B"),
        (FAILED, "startFailed", False, True, True, "RFA17A"),
        (FAILED, "notSupportedByUserApp", True, False, False, "RFA22"),
        (FAILED, "transactionRiskBlocked", True, False, False, "RFA22"),
        (FAILED, "userDeclinedCall", False, False, True, "RFA6"),
        (FAILED, "someFutureCode", True, False, False, "RFA22"),
        (FAILED, "userSign", True, False, False, "RFA22"),  # a pending code as a failure is unknown
        (FAILED, None, True, False, False, "RFA22"),
    ],
)
def test_rfa_for_collect(status, hint, qr, autostart, mobile, rfa):
    assert rfa_for_collect(_result(status, hint), qr=qr, autostart_attempted=autostart, mobile=mobile) == rfa


def test_complete_has_no_message():
    with pytest.raises(ValueError, match="complete"):
        rfa_for_collect(_result(Status.COMPLETE, None), qr=True, autostart_attempted=False, mobile=False)


def test_every_recommended_message_exists_in_both_languages():
    expected = {f"RFA{n}" for n in (1, 2, 3, 4, 5, 6, 8, 9, 13, 16, 18, 19, 20, 21, 22, 23)} | {
        "RFA14A",
        "RFA14B",
        "RFA15A",
        "RFA15B",
        "RFA17A",
        "RFA17B",
    }
    assert set(MESSAGES) == expected
    for rfa in expected:
        swedish, english = message(rfa, "sv"), message(rfa, "en")
        assert swedish
        assert english
        assert swedish != english


@pytest.mark.parametrize(
    ("rfa", "language", "text"),
    [
        ("RFA1", "sv", "Starta BankID-appen."),
        ("RFA1", "en", "Start your BankID app."),
        ("RFA5", "sv", "Internt tekniskt fel. Försök igen."),
        ("RFA9", "sv", "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under."),
        ("RFA17B", "sv", "Misslyckades att läsa av QR-koden."),
        ("RFA22", "en-gb", "Unknown error. Please try again."),
        ("RFA22", "fi", "Okänt fel. Försök igen."),
    ],
)
def test_message_texts(rfa, language, text):
    assert message(rfa, language).startswith(text)


def test_swedish_is_the_default():
    assert message("RFA6") == "Åtgärden avbruten."


def test_mobile_variants_drop_the_card_reader_sentence():
    assert "kortläsaren" in message("RFA15A")
    assert "i den här datorn" in message("RFA15A")
    assert "kortläsaren" not in message("RFA15B")
    assert "i den här enheten" in message("RFA15B")


def test_unknown_message_is_a_key_error():
    with pytest.raises(KeyError, match="RFA7"):
        message("RFA7")
