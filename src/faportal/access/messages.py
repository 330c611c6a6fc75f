"""The words for every permission rule (``rules.Code``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from faportal.access.rules import Code
from faportal.core.problems import register_wording

WORDING = {
    Code.ORGANISATION_EXISTS: _("An organisation with this organisationsnummer is already registered."),
    Code.LAST_ADMINISTRATOR: _(
        "The organisation must keep at least one permission administrator. Give someone else the role first."
    ),
    Code.RESPONSIBLE_ADMINISTRATOR: _(
        "This is the organisation's responsible permission administrator, named by Arbetsförmedlingen. Ask "
        "Arbetsförmedlingen to name a new responsible administrator first."
    ),
    Code.ADDRESS_NOT_GRANTABLE: _("One of the chosen addresses can no longer be granted. Reload the page."),
    Code.INVITATION_GONE: _("The invitation is no longer valid. Ask your administrator for a new one."),
    Code.CODE_EXPIRED: _("The code is no longer valid. Send a new code."),
    Code.CODE_ATTEMPTS: _(
        "Too many codes or wrong attempts for this invitation. Ask your administrator for a new invitation."
    ),
    Code.CODE_RECENTLY_SENT: _("A code was sent less than a minute ago. Wait a moment, then try again."),
    Code.CODE_WRONG: _("The code is wrong. You have %(left)d attempts left."),
    Code.SUPERVISES: _("The person still supervises participants. Move them to another supervisor first."),
}

register_wording(Code, WORDING)
