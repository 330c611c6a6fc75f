"""``manage.py import_ka_webb PATH``: the KA-webb import (SPEC S2.2) from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from faportal.registry.ka_import import (
    Changes,
    ImportFormat,
    ImportSummary,
    Problem,
    decode,
    format_for,
    problem_message,
)
from faportal.registry.services import (
    StoredActor,
    apply_ka_import,
    check_ka_import,
    create_ka_import_run,
    execute_ka_import_run,
)

ACTOR_LABEL = "import_ka_webb"
PHASE_LABELS = {"checking": "Checking", "applying": "Saving"}


class Command(BaseCommand):
    help = (
        "Imports units and addresses from a KA-webb file (CSV or JSON, see docs/ka-webb-import.md). "
        "Nothing is imported when any row has a problem; every problem is listed with its line. Exit code 1 then."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the KA-webb file")
        parser.add_argument(
            "--format",
            choices=[choice.value for choice in ImportFormat],
            help="csv or json (default: from the file's extension)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and report what would change, without changing anything",
        )

    @no_translations  # an operator's tool: English throughout, problem messages included
    def handle(self, *args: Any, path: str, format: str | None, dry_run: bool, **options: Any) -> None:
        file = Path(path)
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        chosen = ImportFormat(format) if format else format_for(file.name)
        if chosen is None:
            raise CommandError("Cannot tell the format from the file name; give --format csv or --format json.")
        self.verbosity = int(options.get("verbosity", 1))
        self._reported: dict[str, int] = {}
        actor = StoredActor.system(ACTOR_LABEL)

        if dry_run:
            summary, problems = self._dry_run(actor, content, chosen)
        else:
            run = create_ka_import_run(actor=actor, file_name=file.name, content=content, format=chosen)
            run = execute_ka_import_run(run_id=run.pk, on_progress=self._progress)
            problems = [Problem.from_dict(problem) for problem in run.problems]
            summary = ImportSummary.from_dict(run.summary) if run.summary else None

        if problems:
            for problem in problems:
                where = f"line {problem.line}" + (f", {problem.column}" if problem.column else "")
                self.stdout.write(f"{where}: {problem_message(problem)}")
            raise CommandError(f"{len(problems)} problem(s); nothing was imported.", returncode=1)
        assert summary is not None
        self.stdout.write(self.style.SUCCESS("Dry run: nothing was changed." if dry_run else "Imported."))
        self._write_changes("Units", summary.units)
        self._write_changes("Addresses", summary.addresses)

    def _dry_run(
        self, actor: StoredActor, content: bytes, chosen: ImportFormat
    ) -> tuple[ImportSummary | None, list[Problem]]:
        text = decode(content)
        if isinstance(text, Problem):
            return None, [text]
        checked = check_ka_import(text=text, format=chosen, progress=lambda d, t: self._progress("checking", d, t))
        result = apply_ka_import(
            actor=actor, checked=checked, dry_run=True, progress=lambda d, t: self._progress("applying", d, t)
        )
        return result.summary, result.problems

    def _progress(self, phase: str, done: int, total: int) -> None:
        # Every tenth, not every callback: a 20 000-row file would print a hundred lines per phase.
        tenth = done * 10 // total if total else 10
        if self.verbosity >= 1 and tenth > self._reported.get(phase, -1):
            self._reported[phase] = tenth
            self.stdout.write(f"{PHASE_LABELS.get(phase, phase)}: {done}/{total} rows")

    def _write_changes(self, title: str, changes: Changes) -> None:
        counts = changes.counts()
        self.stdout.write(f"{title}: " + ", ".join(f"{count} {name}" for name, count in counts.items()))
        if self.verbosity < 2:
            return
        for name, items in (
            ("added", changes.added),
            ("changed", changes.changed),
            ("reactivated", changes.reactivated),
            ("retired", changes.retired),
        ):
            for item in items:
                detail = f" ({', '.join(item.fields)})" if item.fields else ""
                self.stdout.write(f"  {name}: {item.ka_id} {item.label} — {item.organisation}{detail}")
