"""The administrator invites two colleagues, one accepts with BankID and an e-mail code, and gets permissions.

Two people at two computers: the responsible administrator of Alfa Rusta AB and the invited colleague, each in
their own browser context. E-mail is read from django.core.mail.outbox (the worker runs tasks immediately in
tests). Every page either of them sees is checked with axe-core.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from faportal.testing import personnummer
from tests.e2e.browser import (
    check_accessibility,
    emails_to,
    identify_with_mobile_bankid,
    link_in,
    screenshot,
    sign_in,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

IDA = "ida.inbjuden@example.se"
JON = "jon.inbjuden@example.se"
REPORTING = "Rapportering, planering och information om deltagare"


def test_the_administrator_invites_and_grants_and_the_colleague_gets_to_work(new_context, phone, world):
    admin = new_context().new_page()
    colleague = new_context().new_page()

    # The responsible administrator signs in with Mobilt BankID.
    sign_in(admin, phone, world.admin_a.person)
    expect(admin).to_have_url(re.compile(r"/$"))
    expect(admin.get_by_role("heading", level=1)).to_have_text("Välkommen, Anna")
    expect(admin.get_by_text("Du arbetar för Alfa Rusta AB.")).to_be_visible()
    check_accessibility(admin, "the administrator's start page")

    # Personal → Bjud in personal.
    admin.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Personal", exact=True).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Personal")
    expect(admin.get_by_role("row", name=re.compile("Anna Admin"))).to_be_visible()
    check_accessibility(admin, "the staff list")
    screenshot(admin, "staff-list-signed-in")
    admin.get_by_role("link", name="Bjud in personal").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Bjud in personal")
    check_accessibility(admin, "the invitation form")

    # One address is not an address: the message says which, at the field and in the summary; nothing is lost.
    emails = admin.get_by_label("E-postadresser")
    typed = f"{IDA}, inte-en-adress"
    emails.fill(typed)
    admin.get_by_role("button", name="Skicka inbjudningar").click()
    # (Whichever quotation marks the translation uses around the address.)
    message = r"Det här är inte en giltig e-postadress: [“”\"]inte-en-adress[”\"]\. Rätta den och skicka igen\."
    expect(admin.locator("#id_emails_error")).to_have_text(re.compile(f"^{message}$"))
    expect(emails).to_have_value(typed)
    expect(emails).to_have_attribute("aria-invalid", "true")
    expect(emails).to_have_accessible_description(re.compile(message))
    summary = admin.locator(".ds-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("Rätta följande för att fortsätta")
    expect(summary.get_by_role("link")).to_have_text(re.compile(f"^E-postadresser: {message}$"))
    expect(summary).to_be_focused()  # keyboard and screen-reader users hear the summary first
    check_accessibility(admin, "the invitation form with an error")
    summary.get_by_role("link").click()
    expect(emails).to_be_focused()
    assert not emails_to(IDA)

    emails.fill(f"{IDA}, {JON}")
    admin.get_by_role("button", name="Skicka inbjudningar").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Inbjudningar som väntar på svar")
    expect(admin.get_by_text(f"Inbjudningar skickade till: {IDA}, {JON}.")).to_be_visible()
    for address in (IDA, JON):
        expect(admin.get_by_role("rowheader", name=address)).to_be_visible()
    check_accessibility(admin, "the pending invitations")

    # The colleague follows the link in the e-mail, identifies with BankID as someone new, enters the code.
    (invitation,) = emails_to(IDA)
    assert "Alfa Rusta AB" in invitation.subject
    colleague.goto(link_in(invitation))
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Du är inbjuden att arbeta för Alfa Rusta AB")
    check_accessibility(colleague, "the invitation page")
    colleague.get_by_role("button", name="Identifiera dig med BankID").click()
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Identifiera dig med BankID")
    check_accessibility(colleague, "the BankID page for the invitation")
    identify_with_mobile_bankid(
        colleague,
        phone,
        personnummer=personnummer(1990, 5, 17),
        given_name="Ida",
        surname="Inbjuden",
        where="the BankID page for the invitation",
    )
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Bekräfta din e-postadress")
    expect(colleague.get_by_text(IDA)).to_be_visible()
    check_accessibility(colleague, "the code page")
    sent = emails_to(IDA)
    assert len(sent) == 2, [message.subject for message in sent]
    code_mail = sent[1]
    assert code_mail.subject.startswith("Din kod till FA-portalen")
    code = re.search(r"^\s*(\d{6})\s*$", code_mail.body, re.MULTILINE)
    assert code, code_mail.body
    colleague.get_by_label("Kod från e-postmeddelandet").fill(code.group(1))
    colleague.get_by_role("button", name="Bekräfta och skapa mitt konto").click()

    # Signed in, with an account and no permissions yet.
    expect(colleague).to_have_url(re.compile(r"/$"))
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Välkommen, Ida")
    expect(colleague.get_by_text("Du arbetar för Alfa Rusta AB.")).to_be_visible()
    expect(colleague.get_by_text("Välkommen! Ditt personalkonto hos Alfa Rusta AB är klart.")).to_be_visible()
    expect(colleague.get_by_role("heading", name="Du har inga behörigheter ännu")).to_be_visible()
    expect(colleague.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Personal")).to_have_count(0)
    check_accessibility(colleague, "the new colleague's start page without permissions")

    # The administrator finds the new colleague, and gives reporting at every address of Alfa Stockholm.
    admin.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Personal", exact=True).click()
    row = admin.get_by_role("row", name=re.compile("Ida Inbjuden"))
    expect(row).to_contain_text(IDA)
    expect(row).to_contain_text("Utan behörighet")
    row.get_by_role("link", name="Ida Inbjuden").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Ida Inbjuden")
    expect(admin.get_by_text("Inga behörigheter.", exact=True)).to_be_visible()
    expect(admin.get_by_text("Inga adresser.", exact=True)).to_be_visible()
    check_accessibility(admin, "the new colleague's page")
    admin.get_by_role("link", name="Ändra behörigheter").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Behörigheter för Ida Inbjuden")
    check_accessibility(admin, "the permission form")
    admin.get_by_role("checkbox", name="Alfa Stockholm – alla adresser").check()
    expect(admin.get_by_role("checkbox", name=re.compile("^Drottninggatan 1"))).to_be_checked()
    expect(admin.get_by_role("checkbox", name=re.compile("^Kungsgatan 2"))).to_be_checked()
    expect(admin.get_by_role("checkbox", name=re.compile("^Avenyn 3"))).not_to_be_checked()
    admin.get_by_role("checkbox", name=REPORTING).check()
    check_accessibility(admin, "the permission form, filled in")
    admin.get_by_role("button", name="Spara behörigheter").click()

    expect(admin.get_by_role("heading", level=1)).to_have_text("Ida Inbjuden")
    expect(admin.get_by_text("Behörigheterna för Ida Inbjuden är sparade.")).to_be_visible()
    roles = admin.get_by_role("heading", name="Behörigheter", exact=True).locator("xpath=following-sibling::ul[1]")
    expect(roles.get_by_role("listitem")).to_have_text([REPORTING])
    places = admin.get_by_role("heading", name="Utförande verksamheter och adresser").locator(
        "xpath=following-sibling::ul[1]"
    )
    expect(places.get_by_role("listitem")).to_have_text(
        [re.compile("Alfa Stockholm · Drottninggatan 1"), re.compile("Alfa Stockholm · Kungsgatan 2")]
    )
    history = admin.get_by_role("table", name="Alla behörigheter kontot har haft, nyaste först")
    expect(history.get_by_role("row")).to_have_count(4)  # the header and three grants
    for granted in (REPORTING, "Drottninggatan 1", "Kungsgatan 2"):
        expect(history.get_by_role("row", name=re.compile(granted))).to_contain_text("Anna Admin")
    check_accessibility(admin, "the new colleague's page with permissions")

    # The colleague reloads and can now report at two addresses.
    colleague.reload()
    expect(colleague.get_by_role("heading", name="Det här kan du göra")).to_be_visible()
    expect(colleague.get_by_role("heading", name="Deltagare")).to_be_visible()
    expect(colleague.get_by_role("heading", name="Du har inga behörigheter ännu")).to_have_count(0)
    expect(colleague.get_by_text("Dina behörigheter gäller på 2 adresser.")).to_be_visible()
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Välkommen, Ida")
    check_accessibility(colleague, "the colleague's start page with permissions")
