"""The words for the kernel's codes: why a personnummer or an organisationsnummer is not valid."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from faportal.core.identifiers import OrganisationsnummerCode, PersonnummerCode
from faportal.core.problems import register_wording

register_wording(
    PersonnummerCode,
    {
        PersonnummerCode.FORMAT: _("Enter the personnummer as YYYYMMDD-NNNN (12 digits)."),
        PersonnummerCode.DATE: _("The personnummer does not contain a valid date of birth."),
        PersonnummerCode.CHECKSUM: _("The personnummer is not valid: check the last digit."),
        PersonnummerCode.FUTURE: _("The personnummer has a date of birth in the future: check the digits."),
    },
)
register_wording(
    OrganisationsnummerCode,
    {
        OrganisationsnummerCode.FORMAT: _("Enter the organisationsnummer as NNNNNN-NNNN (10 digits)."),
        OrganisationsnummerCode.CHECKSUM: _("The organisationsnummer is not valid: check the last digit."),
    },
)
