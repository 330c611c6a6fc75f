"""Exportera deltagare (SPEC S4.10): choose, preview, export; follow a large export; download the file."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from faportal.access.middleware import actor_of
from faportal.access.scoping import require_role
from faportal.audit.services import record_shown
from faportal.core.paging import first_rows
from faportal.exports import selectors, services
from faportal.exports.forms import ExportForm
from faportal.exports.models import ExportFormat

PREVIEW_ROWS = 25
NOTHING_TO_EXPORT = gettext_lazy(
    "No participants match these choices, so there is nothing to export. Widen the range, or include "
    "participants exported before."
)
CONTENT_TYPES = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.CSV: "text/csv; charset=utf-8",
}


@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    """The form with a preview of what the chosen export contains; "Exportera" makes the file."""
    actor = actor_of(request)
    require_role(actor, selectors.EXPORT_ROLE)
    form = ExportForm(request.POST or None)
    choices = None
    if not form.is_bound:
        choices = form.initial_choices()
    elif form.is_valid():
        choices = form.choices()
        if request.POST.get("action") == "export":
            try:
                run = services.start_export(
                    actor=actor, choices=choices, format=ExportFormat(form.cleaned_data["format"])
                )
            except services.NothingToExport:
                form.add_error(None, NOTHING_TO_EXPORT)
            else:  # the export's page confirms it and offers the file (or follows the worker)
                return redirect("exports:run", export_id=run.pk)
    preview = None
    if choices is not None:
        rows = selectors.export_rows(actor=actor, choices=choices)
        # The first rows' ids from the index alone, then those rows with everything they show.
        shown = first_rows(rows, PREVIEW_ROWS)
        record_shown(actor, "placements.listed", shown, page="export_preview")
        preview = {"count": rows.count(), "rows": shown}
    context = {
        "form": form,
        "preview": preview,
        "history": selectors.my_exports(actor=actor),
        "retention_days": settings.EXPORT_RETENTION_DAYS,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "exports/export.html#preview", context)
    return render(request, "exports/export.html", context)


def export_run(request: HttpRequest, export_id: int) -> HttpResponse:
    """A large export's progress, then its download link (polled while the worker makes it)."""
    actor = actor_of(request)
    run = selectors.my_export(actor=actor, export_id=export_id)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "exports/run.html#progress", {"run": run})
    return render(request, "exports/run.html", {"run": run})


def download(request: HttpRequest, export_id: int) -> HttpResponse:
    """The file, only for the person who made the export, while it is kept."""
    actor = actor_of(request)
    run = selectors.my_export(actor=actor, export_id=export_id)
    if not run.is_downloadable:  # still being made, failed or removed: the export's page says which
        return redirect("exports:run", export_id=run.pk)
    response = HttpResponse(
        services.download(actor=actor, run=run), content_type=CONTENT_TYPES[ExportFormat(run.format)]
    )
    response["Content-Disposition"] = f'attachment; filename="{run.file_name}"'
    response["Cache-Control"] = "no-store"
    return response
