"""Why the permission rules refuse a request (SPEC S3): the codes, beside the rules that use them.

The words are in ``messages.py``: forms, pages and the API show the same ones.
"""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    ORGANISATION_EXISTS = "organisation_exists"
    CODE_ATTEMPTS = "code_attempts"
    CODE_RECENTLY_SENT = "code_recently_sent"
    CODE_WRONG = "code_wrong"
    CODE_EXPIRED = "code_expired"
    INVITATION_GONE = "invitation_gone"
    ADDRESS_NOT_GRANTABLE = "address_not_grantable"
    RESPONSIBLE_ADMINISTRATOR = "responsible_administrator"
    LAST_ADMINISTRATOR = "last_administrator"
    SUPERVISES = "supervises"
