"""How the API answers bad input and errors: ``{"problems": [{"field", "code", "message"}]}``, every problem at once.

``field`` is the dotted path of the JSON field a problem concerns (``participant.personnummer``), or "" for the
request as a whole; ``code`` is stable and meant for programs; ``message`` is for people, in Swedish. What the rules
refuse (``core.problems.Refused``) is answered with their own codes and words: the same words a form shows.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from faportal.api.auth import NotAuthenticated
from faportal.core import problems as rules_problems
from faportal.core.privacy import new_error_id
from faportal.placements.rules import Code

logger = logging.getLogger("faportal.errors")

# The rules name their fields as the back office's forms do; the API's fields are named a little differently.
SERVICE_FIELDS = {
    "decision_id": "key",
    "address": "address_ka_id",
    "placement": "",
    "personnummer": "participant.personnummer",
}
# ninja puts the part of the request first in an error's location; for a body, then the view's parameter name.
_SOURCES = {"body": 2, "path": 1, "query": 1, "header": 1, "cookie": 1, "form": 1, "file": 1}
_QUOTED = re.compile(r"'([^']*)'")


@dataclass(frozen=True)
class ApiProblem:
    """One thing wrong with a request, as the API answers it."""

    field: str
    code: str
    message: str


class ProblemOut(Schema):
    field: str
    code: str
    message: str


class ProblemsOut(Schema):
    """Every problem found, each at its field."""

    problems: list[ProblemOut]


class InvalidRequest(Exception):
    """Bad input, with every problem found (answered 400). Not a ValueError, so pydantic lets it through."""

    def __init__(self, problems: list[ApiProblem]) -> None:
        super().__init__([problem.code for problem in problems])
        self.problems = problems


def refusal(code: str, message: str) -> PydanticCustomError:
    """A validation error with our own code and message, for a field validator to raise."""
    return PydanticCustomError(code, "{problem_message}", {"problem_message": message})


def _field(location: Iterable[int | str]) -> str:
    return ".".join(str(part) for part in location)


def _shape(error: ErrorDetails) -> tuple[str, str]:
    """The code and message for one pydantic error (never repeating the input: it may be a personnummer)."""
    kind = error["type"]
    context: dict[str, Any] = dict(error.get("ctx") or {})
    if "problem_message" in context:
        return kind, str(context["problem_message"])
    if kind in {"missing", "string_too_short"}:  # every text field with a minimum length must not be blank
        return "required", _("This field is required.")
    if kind == "extra_forbidden":
        return "unknown_field", _("Unknown field: check its name.")
    if kind == "string_too_long":
        return "too_long", _("Enter at most %(limit)d characters.") % {"limit": context.get("max_length", 0)}
    if kind in {"literal_error", "enum"}:
        choices = ", ".join(_QUOTED.findall(str(context.get("expected", ""))))
        return "invalid_choice", _("Choose one of: %(choices)s.") % {"choices": choices}
    if kind.startswith("date"):
        return "invalid", _("Enter a date as YYYY-MM-DD.")
    if kind.startswith("int"):
        return "invalid", _("Enter a whole number.")
    if kind.startswith("bool"):
        return "invalid", _("Enter true or false.")
    if kind.startswith("string"):
        return "invalid", _("Enter text.")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return "invalid", _("Enter a JSON object.")
    return "invalid", _("Enter a valid value.")


def shape_problems(errors: Iterable[ErrorDetails], *, skip: int = 0) -> list[ApiProblem]:
    """Problems for pydantic's errors; ``skip`` drops the first parts of each location."""
    problems = []
    for error in errors:
        code, message = _shape(error)
        problems.append(ApiProblem(_field(error["loc"][skip:]), code, message))
    return problems


def from_rule(problem: rules_problems.Problem) -> ApiProblem:
    """The answer for one problem a rule found: its code and words, at the API's name for its field."""
    return ApiProblem(
        SERVICE_FIELDS.get(problem.field, problem.field), problem.code.value, rules_problems.message(problem)
    )


def _answer(api: NinjaAPI, request: HttpRequest, problems: list[ApiProblem], status: int) -> HttpResponse:
    return api.create_response(request, {"problems": [asdict(problem) for problem in problems]}, status=status)


def install(api: NinjaAPI) -> None:
    """Answer every error of ``api`` in the problem format."""

    @api.exception_handler(InvalidRequest)
    def invalid(request: HttpRequest, exc: InvalidRequest) -> HttpResponse:
        return _answer(api, request, exc.problems, 400)

    @api.exception_handler(ValidationError)
    def unparsed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        # What the body schemas do not catch themselves: a body that is missing or not an object, a path part.
        problems = []
        for error in exc.errors:
            location = tuple(error.get("loc", ()))
            skip = _SOURCES.get(str(location[0]), 0) if location else 0
            if location[:1] == ("body",) and len(location) <= skip:
                problems.append(ApiProblem("", "invalid_json", _("The request body must be a JSON object.")))
            else:
                problems.extend(shape_problems([error], skip=skip))  # type: ignore[list-item]
        return _answer(api, request, problems, 400)

    @api.exception_handler(rules_problems.Refused)
    def refused(request: HttpRequest, exc: rules_problems.Refused) -> HttpResponse:
        problems = [from_rule(problem) for problem in exc.problems]
        reused = [problem for problem in problems if problem.code == Code.KEY_REUSED]
        return _answer(api, request, reused or problems, 409 if reused else 400)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        code = exc.code if isinstance(exc, NotAuthenticated) else "invalid_key"
        message = (
            _("Send the API key in the Authorization header: Bearer <key>.")
            if code == "missing_key"
            else _("The API key is not valid, or its client is switched off.")
        )
        response = _answer(api, request, [ApiProblem("", code, message)], 401)
        response["WWW-Authenticate"] = 'Bearer realm="faportal"'
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _answer(
            api,
            request,
            [ApiProblem("genomforandereferens", "not_found", _("No placement has this genomförandereferens."))],
            404,
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:  # ninja's "Cannot parse request body"
            problem = ApiProblem("", "invalid_json", _("The request body must be a JSON object."))
        else:
            problem = ApiProblem("", "error", str(exc))
        return _answer(api, request, [problem], exc.status_code)

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        error_id = new_error_id()
        logger.error("Unhandled error %s on %s %s", error_id, request.method, request.path, exc_info=exc)
        message = _("Something went wrong on our side. Quote the error id %(error_id)s if you contact us.")
        response = _answer(api, request, [ApiProblem("", "server_error", message % {"error_id": error_id})], 500)
        response["X-Error-Id"] = error_id
        return response
