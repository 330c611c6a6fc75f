"""Template helpers for participants: protected identity, interruption reasons, events in words."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
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

    Written in Python rather than a template loop: fifty rows of template tags cost more than the page's queries
    (ADR 0014). The HTML is the table's card pattern (docs/ui-patterns.md).
    """
    participant_url = _url_for_each("placements:participant")
    events_url = _url_for_each("placements:recent_events")
    labels = {"Name": _("Name"), "Period": _("Period"), "Status": _("Status"), "Supervisor": _("Supervisor")}
    show, hide, none_yet = _("Show events"), _("Hide events"), _("None yet")
    headers = [str(column.header) for column in columns]
    rows = []
    for placement in placements:
        pk = placement.pk
        reference = placement.genomforandereferens
        tags = mark_safe(  # noqa: S308 - each made by format_html
            " ".join(
                format_html('<span class="ds-tag" data-color="{}" data-size="sm">{}</span>', color, label)
                for label, color in unread_tags(placement)
            )
        )
        period = format_html(
            '{}<br><span class="fa-muted"><span class="fa-nowrap">{}</span> – <span class="fa-nowrap">{}</span></span>',
            _("Period %(period)s, level %(level)s") % {"period": placement.period, "level": placement.level},
            formats.date_format(placement.starts_on, "SHORT_DATE_FORMAT"),
            formats.date_format(placement.ends_on, "SHORT_DATE_FORMAT"),
        )
        status = format_html("{}", status_label(placement.status))  # type: ignore[attr-defined]  # annotated
        if placement.interrupts_on:
            status += format_html(
                '<br><span class="fa-muted fa-table__nowrap">{}</span>',
                _("Interruption %(date)s")
                % {"date": formats.date_format(placement.interrupts_on, "SHORT_DATE_FORMAT")},
            )
        supervisor = (
            format_html("{}", placement.supervisor.person.full_name)
            if placement.supervisor
            else format_html('<span class="ds-tag" data-color="warning" data-size="sm">{}</span>', none_yet)
        )
        cells = mark_safe(  # noqa: S308 - each made by format_html
            "".join(
                format_html('<td data-label="{}">{}</td>', header, column.cell(placement))
                for header, column in zip(headers, columns, strict=True)
            )
        )
        rows.append(
            format_html(
                '<tbody class="fa-table__item">\n      <tr>\n'
                '        <th scope="row"><a class="ds-link" href="{}">{}</a>\n          {}\n        </th>\n'
                '        <td data-label="{}">{}</td>\n'
                '        <td data-label="{}">{}</td>\n'
                '        <td data-label="{}">{}</td>\n'
                '        <td data-label="{}">{}</td>\n'
                "        {}\n"
                "        <td>\n"
                '          <button type="button" class="ds-button" data-variant="tertiary" data-size="sm" '
                'aria-expanded="false" aria-controls="events-{}" data-toggles="events-{}"\n'
                '                  hx-get="{}" hx-trigger="click once" hx-target="#events-{}-cell" '
                'hx-swap="innerHTML">\n'
                '            <span class="fa-when-collapsed">{}</span><span class="fa-when-expanded">{}</span>'
                '<span class="ds-sr-only"> {}</span>\n'
                "          </button>\n"
                "        </td>\n"
                "      </tr>\n"
                '      <tr id="events-{}" class="fa-table__detail" hidden><td colspan="{}" id="events-{}-cell"></td>'
                "</tr>\n    </tbody>",
                participant_url(pk),
                reference,
                tags,
                labels["Name"],
                list_name(placement),
                labels["Period"],
                period,
                labels["Status"],
                status,
                labels["Supervisor"],
                supervisor,
                cells,
                pk,
                pk,
                events_url(pk),
                pk,
                show,
                hide,
                reference,
                pk,
                len(headers) + 6,
                pk,
            )
        )
    return mark_safe("\n    ".join(rows))  # noqa: S308 - each made by format_html
