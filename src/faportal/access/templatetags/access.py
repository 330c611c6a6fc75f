"""Template helpers for permissions and the audit log."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from faportal.access.models import AfRole, Role
from faportal.audit import actions
from faportal.audit.models import AuditEvent

register = template.Library()

_ROLE_LABELS = {**dict(Role.choices), **dict(AfRole.choices)}

# Where a list of participants was shown (``placements.listed``).
_PAGES = {
    "intake": gettext_lazy("New participants"),
    "intake_assign": gettext_lazy("Choose supervisor"),
    "participant_list": gettext_lazy("Participants"),
    "export_preview": gettext_lazy("Export participants"),
    "af_placements": gettext_lazy("Participants (back office)"),
}


@register.filter
def role_label(code: str) -> str:
    """The translated name of a role code."""
    return str(_ROLE_LABELS.get(code, code))


@register.filter
def audit_action(event: AuditEvent) -> str:
    """What an audit event records, in words."""
    return actions.label(event.action)


@register.filter
def audit_acting_for(event: AuditEvent) -> str:
    """For whom the actor acted: an organisation, Arbetsförmedlingen, or the system itself."""
    if event.acting_for is not None:
        return str(event.acting_for)
    if event.actor_kind == "af":
        return _("Arbetsförmedlingen")
    if event.actor_kind == "system":
        return _("The system")
    return "–"


@register.filter
def audit_detail(event: AuditEvent) -> str:
    """The details worth showing next to the action: the role or the address."""
    data = event.data or {}
    if data.get("reason") == "retired_in_ka_webb":
        return _("%(address)s (retired in KA-webb)") % {"address": data.get("address_label", "")}
    if "role" in data:
        return role_label(str(data["role"]))
    if "address_label" in data:
        return str(data["address_label"])
    if event.action == "identity.sign_in_refused":
        if str(data.get("reason", "")).startswith("personnummer_"):
            return _("The personnummer from the identification is not valid")
        return _("No account")
    if "shown" in data:
        count = len(data["shown"])
        return ngettext("%(page)s: %(count)d participant", "%(page)s: %(count)d participants", count) % {
            "page": _PAGES.get(str(data.get("page")), data.get("page", "")),
            "count": count,
        }
    if "hits" in data:
        return ngettext("%(count)d hit", "%(count)d hits", data["hits"]) % {"count": data["hits"]}
    if "added" in data or "changed" in data or "retired" in data:
        return _("%(added)s added, %(changed)s changed, %(retired)s retired") % {
            "added": data.get("added", 0),
            "changed": data.get("changed", 0),
            "retired": data.get("retired", 0),
        }
    return ""


@register.simple_tag
def audit_rows(events: Iterable[AuditEvent]) -> str:
    """The log's rows (SPEC S9), written in Python with each value escaped once: fifty rows through template tags
    cost more than the page's queries (ADR 0014). The same cells as the table's header, with their card labels.
    """
    who, acting_for, what, concerns, details = (
        escape(_(word)) for word in ("Who", "Acting for", "What", "Concerns", "Details")
    )
    denied = f' <span class="ds-tag" data-color="danger" data-size="sm">{escape(_("Denied"))}</span>'
    rows = []
    for event in events:
        moment = localtime(event.at)
        rows.append(
            "<tr>\n"
            f'      <th scope="row" class="fa-nowrap"><time datetime="{escape(moment.isoformat())}">'
            f"{escape(formats.date_format(moment, 'SHORT_DATETIME_FORMAT'))}</time></th>\n"
            f'      <td data-label="{who}">{escape(event.actor_name or "–")}</td>\n'
            f'      <td data-label="{acting_for}">{escape(audit_acting_for(event))}</td>\n'
            f'      <td data-label="{what}">{escape(audit_action(event))}'
            f"{denied if event.outcome == 'denied' else ''}</td>\n"
            f'      <td data-label="{concerns}">{escape(event.subject_label or "–")}</td>\n'
            f'      <td data-label="{details}">{escape(audit_detail(event))}</td>\n'
            "    </tr>"
        )
    return mark_safe("\n  ".join(rows))  # noqa: S308 - every value above is escaped
