"""Measuring the pages, the API's ingest rate and the exports, and reporting them (see ``bench/__main__.py``)."""

from __future__ import annotations

import datetime
import gc
import json
import math
import os
import platform
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.pages import PAGES, Page, Sample, as_json
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from faportal.access.actor import Actor
from faportal.exports.models import ExportFormat
from faportal.exports.selectors import ExportChoices
from faportal.exports.services import execute_export, start_export
from faportal.identity.models import Person
from faportal.placements.models import Placement


@dataclass
class Result:
    name: str
    group: str
    median_ms: float
    p95_ms: float
    queries: int
    status: int
    ratio: float = 0.0


@dataclass
class Report:
    vendor: str
    scale: float
    placements: int
    runs: int
    target_ms: float
    results: list[Result] = field(default_factory=list)
    ingest: list[dict[str, Any]] = field(default_factory=list)
    exports: list[dict[str, Any]] = field(default_factory=list)
    machine: str = ""
    measured_at: str = ""
    load: str = ""

    def print(self) -> None:
        print()
        print(
            f"{self.vendor}, scale {self.scale:g} ({_n(self.placements)} placements), {self.runs} runs per page, "
            f"{self.measured_at}"
        )
        print(f"{self.machine}; load average before/after: {self.load}")
        width = max(len(result.name) for result in self.results) if self.results else 20
        print()
        target = f"< {self.target_ms:.0f} ms"
        header = f"{'Page':<{width}}  {'median':>8}  {'p95':>8}  {'queries':>7}  {'× trivial':>9}  {target:>8}"
        print(header)
        print("-" * len(header))
        group = None
        for result in self.results:
            if result.group != group:
                group = result.group
                print(f"[{group}]")
            ok = "" if result.group == "api" else ("yes" if result.p95_ms < self.target_ms else "NO")
            status = "" if result.status < 400 else f"  (HTTP {result.status})"
            print(
                f"{result.name:<{width}}  {result.median_ms:>6.1f}ms  {result.p95_ms:>6.1f}ms  {result.queries:>7}  "
                f"{result.ratio:>8.1f}×  {ok:>8}{status}"
            )
        pages = [r for r in self.results if r.group in {"provider", "back office"}]
        if pages:
            slow = [r.name for r in pages if r.p95_ms >= self.target_ms]
            worst = max(pages, key=lambda r: r.p95_ms)
            print()
            print(
                f"Pages with p95 ≥ {self.target_ms:.0f} ms: {len(slow)} of {len(pages)}"
                + (f" ({', '.join(slow)})" if slow else "")
                + f"; the slowest p95 is {worst.p95_ms:.1f} ms ({worst.name})."
            )
        for item in self.ingest:
            print(
                f"Ingest, {item['how']}: {_n(item['decisions'])} decisions in {item['seconds']:.2f} s = "
                f"{_n(item['per_second'])} decisions/s ({item['queries_per_decision']:.3g} queries each)"
            )
        for item in self.exports:
            print(
                f"Export, {item['format']}: {_n(item['rows'])} participants in {item['seconds']:.2f} s (median of "
                f"{item['runs']}), peak Python memory {item['peak_mib']:.1f} MiB"
            )

    def write_json(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n")


def _n(value: float) -> str:
    """A number with a thin space between thousands, as in Swedish."""
    return f"{value:,.0f}".replace(",", "\u202f")


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95 of 30 calls is the 29th slowest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.node()}: {cpu or platform.processor()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "?"


class Clients:
    """One signed-in test client per user of the sample."""

    def __init__(self, sample: Sample) -> None:
        self.sample = sample
        self.clients: dict[tuple[str, str], Client] = {}

    def get(self, page: Page) -> Client:
        key = (page.user, page.acting_for)
        if key not in self.clients:
            if page.user == "api":
                client = Client(headers={"Authorization": f"Bearer {self.sample.api_key}"})
            else:
                who = getattr(self.sample, page.user)
                person = who if isinstance(who, Person) else who.person
                client = Client()
                client.force_login(person, backend=settings.AUTHENTICATION_BACKENDS[0])
                session = client.session
                session["acting_for"] = page.acting_for or f"staff:{who.pk}"
                session.save()
            self.clients[key] = client
        return self.clients[key]


def _call(client: Client, page: Page, sample: Sample) -> Any:
    url = page.url(sample)
    headers = {"HX-Request": "true"} if page.htmx else {}
    headers.update(page.headers)
    if page.method == "POST":
        body = page.body(sample) if page.body else {}
        if page.group == "api":
            return client.post(url, as_json(body), content_type="application/json", headers=headers)
        return client.post(url, body, headers=headers)
    return client.get(url, headers=headers)


def measure_page(client: Client, page: Page, sample: Sample, runs: int, explain: bool) -> Result:
    for _ in range(2):
        _call(client, page, sample)
    timings = []
    status = 200
    for _ in range(runs):
        started = time.perf_counter()
        response = _call(client, page, sample)
        timings.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    with CaptureQueriesContext(connection) as captured:
        _call(client, page, sample)
    if explain:
        _explain(page, captured.captured_queries)
    return Result(page.name, page.group, statistics.median(timings), percentile(timings, 0.95), len(captured), status)


def _explain(page: Page, queries: list[dict[str, str]]) -> None:
    print(f"\n=== {page.name}: {len(queries)} queries")
    for query in queries:
        sql = query["sql"]
        print(f"--- {float(query['time']) * 1000:.1f} ms: {sql}")
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
            for row in cursor.fetchall():
                print("    " + " ".join(str(part) for part in row))


def measure_ingest(sample: Sample) -> list[dict[str, Any]]:
    """Decisions per second through the API: one per request, and in batches if the API takes them."""
    results = []
    client = Client(headers={"Authorization": f"Bearer {sample.api_key}"})
    single = [sample.next_decision() for _ in range(200)]
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        for body in single:
            response = client.post("/api/integration/v1/decisions", as_json(body), content_type="application/json")
            assert response.status_code == 201, response.content
        seconds = time.perf_counter() - started
    results.append(
        {
            "how": "one decision per request",
            "decisions": len(single),
            "seconds": seconds,
            "per_second": len(single) / seconds,
            "queries_per_decision": len(captured) / len(single),
        }
    )
    batch_url = "/api/integration/v1/decisions/batch"
    probe = client.post(batch_url, as_json({"decisions": []}), content_type="application/json")
    if probe.status_code in {404, 405}:
        return results
    size, batches = 500, 6
    bodies = [[sample.next_decision() for _ in range(size)] for _ in range(batches)]
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        for decisions in bodies:
            response = client.post(batch_url, as_json({"decisions": decisions}), content_type="application/json")
            assert response.status_code == 200, response.content[:500]
            answers = response.json()["results"]
            assert all(answer["status"] == 201 for answer in answers), answers[:3]
        seconds = time.perf_counter() - started
    total = size * batches
    results.append(
        {
            "how": f"batches of {size}",
            "decisions": total,
            "seconds": seconds,
            "per_second": total / seconds,
            "queries_per_decision": len(captured) / total,
        }
    )
    return results


def measure_exports(sample: Sample, runs: int = 3) -> list[dict[str, Any]]:
    """The coordinator's whole list (every decision ever) as csv and as xlsx, made the way the worker makes them."""
    import tracemalloc

    settings.EXPORT_INLINE_MAX_ROWS = 0  # the worker's part alone
    actor = Actor.for_staff_account(sample.coordinator)
    today = timezone.localdate()
    choices = ExportChoices(decided_from=today - datetime.timedelta(days=3650), decided_to=today, include_exported=True)
    results = []
    for format in (ExportFormat.CSV, ExportFormat.XLSX):
        timings, rows = [], 0

        def export(format: ExportFormat = format) -> int:
            run = start_export(actor=actor, choices=choices, format=format)
            done = execute_export(export_id=run.pk)
            assert done.status == "done", done.status
            return done.total_rows

        for _ in range(runs):
            started = time.perf_counter()
            rows = export()
            timings.append(time.perf_counter() - started)
        tracemalloc.start()
        export()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results.append(
            {
                "format": str(format),
                "rows": rows,
                "seconds": statistics.median(timings),
                "runs": runs,
                "peak_mib": peak / 2**20,
            }
        )
    return results


def run(*, scale: float, runs: int, only: str, explain: bool, skip: set[str], target_ms: float) -> Report:
    load_before = _load()
    sample = Sample.of_world()
    report = Report(
        vendor=f"{connection.vendor} {connection.Database.__name__ if connection.vendor == 'sqlite' else ''}".strip(),
        scale=scale,
        placements=Placement.objects.count(),
        runs=runs,
        target_ms=target_ms,
        machine=_machine(),
        measured_at=timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            report.vendor = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        import sqlite3

        report.vendor = f"SQLite {sqlite3.sqlite_version}"
    clients = Clients(sample)
    gc.freeze()  # as the server does once it has loaded (faportal/wsgi.py)
    if "pages" not in skip:
        pages: list[Page] = [page for page in PAGES if page.group == "trivial" or only.lower() in page.name.lower()]
        trivial = 0.0
        for page in pages:
            result = measure_page(clients.get(page), page, sample, runs, explain)
            if page.group == "trivial":
                trivial = result.median_ms
            result.ratio = result.median_ms / trivial if trivial else 0.0
            report.results.append(result)
            print(f"  {result.name}: {result.median_ms:.1f} / {result.p95_ms:.1f} ms", flush=True)
    if "ingest" not in skip and not only:
        report.ingest = measure_ingest(sample)
    if "exports" not in skip and not only:
        report.exports = measure_exports(sample)
    report.load = f"{load_before} / {_load()}"
    return report
