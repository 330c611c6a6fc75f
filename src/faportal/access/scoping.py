"""The one place that scopes rows (SPEC S3.7): ``visible()``, ``get_visible_or_404()`` and ``require()``.

Every list, detail page, export, API call and background job reads through ``visible``. Each scoped model
declares its path to the organisation (``SCOPE_ORGANISATION_PATH``) and, where rows live at an address, its path
to the address (``SCOPE_ADDRESS_PATH``); Af's own records declare ``SCOPE_AF_ONLY``. A model without a declared
path cannot be read through here at all, so a new model cannot be half-scoped. Missing and "not yours" look the
same: 404.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404

from faportal.access.actor import Actor, ActorKind
from faportal.access.models import ORGANISATION_WIDE_ROLES, AfRole, Role
from faportal.audit.models import Outcome
from faportal.audit.services import record
from faportal.core.privacy import mask_personal_numbers

M = TypeVar("M", bound=models.Model)


def _path_is_to_many(model: type[models.Model], path: str) -> bool:
    current: type[models.Model] = model
    for hop in path.split(LOOKUP_SEP):
        if hop == "pk":
            return False
        try:
            field = current._meta.get_field(hop)
        except FieldDoesNotExist as exc:
            raise ImproperlyConfigured(f"{model.__name__}: scope path {path!r} does not resolve") from exc
        if field.many_to_many or field.one_to_many:
            return True
        if field.related_model is None:
            return False
        current = field.related_model
    return False


def visible(actor: Actor, role: Role | AfRole, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """The rows of ``queryset`` that ``actor`` may see with ``role``; none when the actor lacks the role.

    Provider roles see their own organisation only; RECEIVE and REPORT also only at the actor's addresses
    (ADMINISTER and FINANCE are always organisation-wide, SPEC S3.3, S7.4). Af roles see every organisation.
    """
    model = queryset.model
    if getattr(model, "SCOPE_AF_ONLY", False):
        # Arbetsförmedlingen's own records (e.g. registry import runs): only Af roles read them, unscoped.
        return queryset if isinstance(role, AfRole) and actor.has_role(role) else queryset.none()
    organisation_path = getattr(model, "SCOPE_ORGANISATION_PATH", None)
    if organisation_path is None:
        raise ImproperlyConfigured(f"{model.__name__} declares no SCOPE_ORGANISATION_PATH and cannot be scoped.")
    if not actor.has_role(role):
        return queryset.none()
    if isinstance(role, AfRole):
        return queryset
    assert actor.kind == ActorKind.STAFF
    assert actor.organisation_id is not None
    scoped = _narrow(queryset, organisation_path, {organisation_path: actor.organisation_id})
    address_path = getattr(model, "SCOPE_ADDRESS_PATH", None)
    if role in ORGANISATION_WIDE_ROLES or address_path is None:
        return scoped
    return _narrow(scoped, address_path, {f"{address_path}__in": actor.address_ids})


def _narrow(queryset: models.QuerySet[M], path: str, lookup: dict[str, Any]) -> models.QuerySet[M]:
    model = queryset.model
    if _path_is_to_many(model, path):
        # A subquery instead of a join keeps one row per object without DISTINCT.
        return queryset.filter(pk__in=model._default_manager.filter(**lookup).values("pk"))
    return queryset.filter(**lookup)


def get_visible_or_404(
    actor: Actor,
    role: Role | AfRole,
    queryset: models.QuerySet[M],
    *,
    audit_read: str | None = None,
    **lookup: Any,
) -> M:
    """The one object ``lookup`` finds among the rows ``actor`` may see, or 404 (missing and not yours alike).

    With ``audit_read`` the attempt is written to the audit log first, allowed or denied (participant data).
    """
    found = visible(actor, role, queryset).filter(**lookup).first()
    if audit_read is not None:
        if found is not None:
            record(actor, audit_read, found)
        else:
            # Nothing to name the organisation by: the attempt goes in the log of the one the actor acted for.
            record(
                actor,
                audit_read,
                None,
                organisation_id=actor.organisation_id,
                outcome=Outcome.DENIED,
                label=mask_personal_numbers(repr(lookup))[:300],  # what was asked for, never a personnummer
            )
    if found is None:
        raise Http404
    return found


def require(actor: Actor, role: Role | AfRole, obj: models.Model) -> None:
    """Raise 404 unless ``actor`` may act on ``obj`` with ``role`` (services call this before writing)."""
    model = type(obj)
    if not visible(actor, role, model._default_manager.filter(pk=obj.pk)).exists():
        raise Http404


def require_role(actor: Actor, role: Role | AfRole) -> None:
    """Raise 404 unless ``actor`` holds ``role`` at all (pages that show no single object)."""
    if not actor.has_role(role):
        raise Http404
