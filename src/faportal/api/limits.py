"""A request body over the upload limit is answered 413 in the API's problem format (docs/api.md), not as an error
on our side: Django refuses to read a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (RequestDataTooBig).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from ninja import NinjaAPI


def install(api: NinjaAPI) -> None:
    """Answer an oversized body with 413 ``too_large`` (ninja picks this handler before the catch-all one)."""

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        message = _("The request is too large: at most %(limit)s can be sent.") % {"limit": limit}
        problem = {"field": "", "code": "too_large", "message": message}
        return api.create_response(request, {"problems": [problem]}, status=413)
