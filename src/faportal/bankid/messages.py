"""BankID's recommended user messages (RFA) in Swedish and English, and which one to show (reference §1.11).

The texts follow the RP guidelines v3.x as quoted in the reference; check them against developers.bankid.com
("Recommended user messages") before launch. RFA7 and RFA10–12 no longer exist.
"""

from __future__ import annotations

from typing import Final

from faportal.bankid.types import CollectResult, HintCode, Status

_SEARCHING_SV = (
    "Söker efter BankID, det kan ta en liten stund … Om det har gått några sekunder och inget BankID har hittats har "
    "du sannolikt inget BankID som går att använda för den aktuella identifieringen/underskriften i den här "
)
_SEARCHING_EN = (
    "Searching for BankID, it may take a little while … If a few seconds have passed and still no BankID has been "
    "found, you probably don't have a BankID which can be used for this identification/signing on this "
)
_CARD_SV = "Om du har ett BankID-kort, sätt in det i kortläsaren. "
_CARD_EN = "If you have a BankID card, please insert it into your card reader. "
_GET_ONE_SV = "Om du inte har något BankID kan du skaffa ett hos din bank."
_GET_ONE_EN = "If you don't have a BankID you can get one from your bank."
_OTHER_DEVICE_SV = " Om du har ett BankID på en annan enhet kan du starta din BankID-app där."
_OTHER_DEVICE_EN = " If you have a BankID on another device you can start the BankID app on that device."

# rfa → (Swedish, English)
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "RFA1": ("Starta BankID-appen.", "Start your BankID app."),
    "RFA2": (
        "Du har inte BankID-appen installerad. Kontakta din bank.",
        "The BankID app is not installed. Please contact your bank.",
    ),
    "RFA3": ("Åtgärden avbruten. Försök igen.", "Action cancelled. Please try again."),
    "RFA4": (
        "En identifiering eller underskrift för det här personnumret är redan påbörjad. Försök igen.",
        "An identification or signing for this personal number is already started. Please try again.",
    ),
    "RFA5": ("Internt tekniskt fel. Försök igen.", "Internal error. Please try again."),
    "RFA6": ("Åtgärden avbruten.", "Action cancelled."),
    "RFA8": (
        "BankID-appen svarar inte. Kontrollera att den är startad och att du har internetanslutning. Om du inte har "
        "något giltigt BankID kan du skaffa ett hos din bank. Försök sedan igen.",
        "The BankID app is not responding. Please check that it's started and that you have internet access. If you "
        "don't have a valid BankID you can get one from your bank. Try again.",
    ),
    "RFA9": (
        "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under.",
        "Enter your security code in the BankID app and select Identify or Sign.",
    ),
    "RFA13": ("Försöker starta BankID-appen.", "Trying to start your BankID app."),
    # RFA14A/B are the older variants of RFA15A/B; kept for completeness, not chosen by rfa_for_collect.
    "RFA14A": (
        _SEARCHING_SV + "datorn. " + _CARD_SV + _GET_ONE_SV + _OTHER_DEVICE_SV,
        _SEARCHING_EN + "computer. " + _CARD_EN + _GET_ONE_EN + _OTHER_DEVICE_EN,
    ),
    "RFA14B": (
        _SEARCHING_SV + "enheten. " + _GET_ONE_SV + _OTHER_DEVICE_SV,
        _SEARCHING_EN + "device. " + _GET_ONE_EN + _OTHER_DEVICE_EN,
    ),
    "RFA15A": (
        _SEARCHING_SV + "datorn. " + _CARD_SV + _GET_ONE_SV,
        _SEARCHING_EN + "computer. " + _CARD_EN + _GET_ONE_EN,
    ),
    "RFA15B": (_SEARCHING_SV + "enheten. " + _GET_ONE_SV, _SEARCHING_EN + "device. " + _GET_ONE_EN),
    "RFA16": (
        "Det BankID du försöker använda är för gammalt eller spärrat. Använd ett annat BankID eller skaffa ett nytt "
        "hos din bank.",
        "The BankID you are trying to use is blocked or too old. Please use another BankID or get a new one from "
        "your bank.",
    ),
    "RFA17A": (
        "BankID-appen verkar inte finnas i din dator eller mobil. Installera den och skaffa ett BankID hos din bank. "
        "Installera appen från din appbutik eller https://install.bankid.com",
        "The BankID app couldn't be found on your computer or mobile device. Please install it and get a BankID from "
        "your bank. Install the app from your app store or https://install.bankid.com",
    ),
    "RFA17B": (
        "Misslyckades att läsa av QR-koden. Starta BankID-appen och läs av QR-koden. Kontrollera att BankID-appen är "
        "uppdaterad. Om du inte har BankID-appen måste du installera den och skaffa ett BankID hos din bank. "
        "Installera appen från din appbutik eller https://install.bankid.com",
        "Failed to scan the QR code. Start the BankID app and scan the QR code. Check that the BankID app is up to "
        "date. If you don't have the BankID app, you need to install it and get a BankID from your bank. Install the "
        "app from your app store or https://install.bankid.com",
    ),
    "RFA18": ("Starta BankID-appen", "Start the BankID app"),
    "RFA19": (
        "Vill du identifiera dig eller skriva under med BankID på den här datorn eller med ett Mobilt BankID?",
        "Would you like to identify yourself or sign with a BankID on this computer, or with a Mobile BankID?",
    ),
    "RFA20": (
        "Vill du identifiera dig eller skriva under med ett BankID på den här enheten eller med ett BankID på en "
        "annan enhet?",
        "Do you want to identify yourself or sign with a BankID on this device or with a BankID on another device?",
    ),
    "RFA21": ("Identifiering eller underskrift pågår.", "Identification or signing in progress."),
    "RFA22": ("Okänt fel. Försök igen.", "Unknown error. Please try again."),
    "RFA23": (
        "Fotografera och läs av din ID-handling med BankID-appen.",
        "Process your machine-readable travel document using the BankID app.",
    ),
}

LANGUAGES: Final = ("sv", "en")


def message(rfa: str, language: str = "sv") -> str:
    """The text of a recommended user message; ``language`` "sv" or "en" (also "en-gb" etc.), others give Swedish."""
    try:
        swedish, english = MESSAGES[rfa]
    except KeyError:
        raise KeyError(f"No such BankID user message: {rfa!r}") from None
    # Swedish is the portal's language; an unexpected language code must not break the login page.
    return english if language.lower().split("-")[0].split("_")[0] == "en" else swedish


_PENDING: Final[dict[HintCode, str]] = {
    HintCode.NO_CLIENT: "RFA1",
    HintCode.USER_SIGN: "RFA9",
    HintCode.USER_MRTD: "RFA23",
    # No RFA is assigned to the phone flow's call confirmation; "in progress" is the honest text.
    HintCode.USER_CALL_CONFIRM: "RFA21",
}

_FAILED: Final[dict[HintCode, str]] = {
    HintCode.EXPIRED_TRANSACTION: "RFA8",
    HintCode.CERTIFICATE_ERR: "RFA16",
    HintCode.USER_CANCEL: "RFA6",
    HintCode.CANCELLED: "RFA3",
    # No RFA is assigned to a declined phone call; to the user it is their own cancellation.
    HintCode.USER_DECLINED_CALL: "RFA6",
    HintCode.NOT_SUPPORTED_BY_USER_APP: "RFA22",
    HintCode.TRANSACTION_RISK_BLOCKED: "RFA22",
}


def rfa_for_collect(result: CollectResult, *, qr: bool, autostart_attempted: bool, mobile: bool) -> str:
    """The RFA to show for a pending or failed collect result.

    ``qr``: the user is shown the animated QR code; ``autostart_attempted``: we tried to start the app on this
    device; ``mobile``: the browser is on a phone or tablet. A complete order has no message (ValueError).
    """
    hint = result.hint_code
    if result.status is Status.COMPLETE:
        raise ValueError("A complete order has no BankID user message")
    if result.status is Status.PENDING:
        if hint is HintCode.OUTSTANDING_TRANSACTION:
            return "RFA13" if autostart_attempted and not qr else "RFA1"
        if hint is HintCode.STARTED:
            return "RFA15B" if mobile else "RFA15A"
        return _PENDING.get(hint, "RFA21") if hint is not None else "RFA21"
    if hint is HintCode.START_FAILED:
        return "RFA17B" if qr else "RFA17A"
    return _FAILED.get(hint, "RFA22") if hint is not None else "RFA22"
