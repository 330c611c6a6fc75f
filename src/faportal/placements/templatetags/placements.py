"""Template helpers for participants: protected identity, interruption reasons, events in words."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faportal.placements import timeline
from faportal.placements.models import Event, Placement

register = template.Library()

STATUSES = {
    "upcoming": gettext_lazy("Not started"),
    "active": gettext_lazy("Ongoing"),
    "interrupted": gettext_lazy("Interrupted"),
    "ended": gettext_lazy("Ended"),
}


@register.filter
def list_name(placement: Placement) -> str:
    """The name in lists: never for a protected participant (SPEC S4.9)."""
    participant = placement.participant
    return _("Protected personal data") if participant.protected_identity else participant.full_name


def name_copy(placement: Placement) -> str:
    """``list_name`` from the placement's own copy of the name (``keep_names``), without reading the participant."""
    if placement.sort_protected:
        return _("Protected personal data")
    return f"{placement.sort_given_name} {placement.sort_surname}".strip()


def supervisor_name(placement: Placement) -> str:
    """The supervisor's name from the placement's own copy of it (``keep_supervisor``), without reading the account."""
    return f"{placement.sort_supervisor_given_name or ''} {placement.sort_supervisor_surname or ''}".strip()


@register.simple_tag
def detail_name(placement: Placement, is_supervisor: bool) -> str:
    """The name on the participant page: for a protected participant only to the assigned supervisor."""
    participant = placement.participant
    if participant.protected_identity and not is_supervisor:
        return _("Protected personal data")
    return participant.full_name


@register.filter
def reason_label(code: str | None) -> str:
    return timeline.reason_words(code)


@register.filter
def status_label(code: str) -> str:
    return str(STATUSES.get(code, code))


@register.filter
def event_text(event: Event) -> str:
    """What an event says, in words."""
    return timeline.event_text(event)


@register.filter
def unread_tags(placement: Placement) -> list[tuple[str, str]]:
    """The tags of a row in the participant list: what happened since the person last looked (label, colour).

    A new period 2 reads "New period" rather than "New".
    """
    tags = []
    for flag in timeline.unread_flags():
        if not getattr(placement, f"unread_{flag.key}", False):
            continue
        if flag is timeline.NEW and placement.period == 2:
            tags.append((_("New period"), "info"))
        else:
            tags.append((str(flag.tag), flag.color))
    return tags


@register.filter
def field_named(form: Any, name: str) -> Any:
    """A form's bound field by a name held in a variable (the columns other apps add)."""
    return form[name]


def _url_for_each(name: str) -> Callable[[int], str]:
    """A URL with one id, made by joining strings: reversed once, not once a row."""
    marker = 987654321
    before, _marker, after = reverse(name, args=[marker]).partition(str(marker))
    return lambda pk: f"{before}{pk}{after}"


@register.simple_tag
def participant_rows(placements: Iterable[Placement], columns: Sequence[Any]) -> str:
    """Deltagarlista's rows (SPEC S4.5), each a ``tbody`` with the row and the detail row its events unfold into.

    Written in Python rather than a template loop, with each value escaped once and each date and label worded once
    per page: fifty rows of template tags cost more than the page's queries (ADR 0014). The names are the
    placement's own copies, which the list sorts and searches by, so neither participants nor accounts are read.
    The HTML is the table's card pattern (docs/ui-patterns.md).
    """
    participant_url = _url_for_each("placements:participant")
    events_url = _url_for_each("placements:recent_events")
    name, period_label, status_label_, supervisor_label = (
        escape(_(word)) for word in ("Name", "Period", "Status", "Supervisor")
    )
    show, hide, none_yet = escape(_("Show events")), escape(_("Hide events")), escape(_("None yet"))
    headers = [escape(str(column.header)) for column in columns]
    dates: dict[Any, str] = {}
    statuses: dict[str, str] = {}

    def short(day: Any) -> str:
        if day not in dates:
            dates[day] = escape(formats.date_format(day, "SHORT_DATE_FORMAT"))
        return dates[day]

    rows = []
    for placement in placements:
        pk = placement.pk
        reference = escape(placement.genomforandereferens)
        tags = " ".join(
            f'<span class="ds-tag" data-color="{escape(color)}" data-size="sm">{escape(label)}</span>'
            for label, color in unread_tags(placement)
        )
        period = (
            escape(_("Period %(period)s, level %(level)s") % {"period": placement.period, "level": placement.level})
            + f'<br><span class="fa-muted"><span class="fa-nowrap">{short(placement.starts_on)}</span> – '
            f'<span class="fa-nowrap">{short(placement.ends_on)}</span></span>'
        )
        code = placement.status  # type: ignore[attr-defined]  # annotated
        if code not in statuses:
            statuses[code] = escape(status_label(code))
        status = statuses[code]
        if placement.interrupts_on:
            interruption = escape(_("Interruption %(date)s")) % {"date": short(placement.interrupts_on)}
            status += f'<br><span class="fa-muted fa-table__nowrap">{interruption}</span>'
        supervisor = (
            escape(supervisor_name(placement))
            if placement.supervisor_id
            else f'<span class="ds-tag" data-color="warning" data-size="sm">{none_yet}</span>'
        )
        cells = "".join(
            f'<td data-label="{header}">{conditional_escape(column.cell(placement))}</td>'
            for header, column in zip(headers, columns, strict=True)
        )
        rows.append(
            '<tbody class="fa-table__item">\n      <tr>\n'
            f'        <th scope="row"><a class="ds-link" href="{escape(participant_url(pk))}">{reference}</a>\n'
            f"          {tags}\n        </th>\n"
            f'        <td data-label="{name}">{escape(name_copy(placement))}</td>\n'
            f'        <td data-label="{period_label}">{period}</td>\n'
            f'        <td data-label="{status_label_}">{status}</td>\n'
            f'        <td data-label="{supervisor_label}">{supervisor}</td>\n'
            f"        {cells}\n"
            "        <td>\n"
            '          <button type="button" class="ds-button" data-variant="tertiary" data-size="sm" '
            f'aria-expanded="false" aria-controls="events-{pk}" data-toggles="events-{pk}"\n'
            f'                  hx-get="{escape(events_url(pk))}" hx-trigger="click once" '
            f'hx-target="#events-{pk}-cell" hx-swap="innerHTML">\n'
            f'            <span class="fa-when-collapsed">{show}</span><span class="fa-when-expanded">{hide}</span>'
            f'<span class="ds-sr-only"> {reference}</span>\n'
            "          </button>\n"
            "        </td>\n"
            "      </tr>\n"
            f'      <tr id="events-{pk}" class="fa-table__detail" hidden><td colspan="{len(headers) + 6}" '
            f'id="events-{pk}-cell"></td></tr>\n    </tbody>'
        )
    return mark_safe("\n    ".join(rows))  # noqa: S308 - every value above is escaped
