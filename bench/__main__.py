"""``python -m bench``: build the benchmark world (once) and measure every page, API call and export in it.

    uv run python -m bench                 # scale 1 on SQLite (var/bench/world-1.sqlite3, built once, then reused)
    uv run python -m bench --scale 0.1     # a tenth of the volume: the times should be the same
    bash scripts/with-postgres.sh uv run python -m bench     # on a throwaway PostgreSQL cluster (make bench-postgres)
    uv run python -m bench --only Logg --explain             # the queries of the matching pages, with their plans

Times are server times: a request through Django's whole stack (middleware, view, template) in this process, as
the test client makes it, without a network. Each page is opened ``--runs`` times after two warm-up calls; the
median and the 95th percentile are reported with the number of SQL queries and the ratio to a trivial signed-in
page measured in the same run. Nothing here is a test: the targets are printed, not asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

TARGET_MS = 100.0


def _configure(scale: float) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faportal.settings")
    if not os.environ.get("DATABASE_URL"):
        directory = Path("var/bench")
        directory.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{(directory / f'world-{scale:g}.sqlite3').resolve()}"
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full volume (1 = ten times today)")
    parser.add_argument("--runs", type=int, default=30, help="measured calls per page (after two warm-up calls)")
    parser.add_argument("--rebuild", action="store_true", help="build the SQLite world again even if it exists")
    parser.add_argument("--build-only", action="store_true", help="build the world and stop")
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    parser.add_argument("--explain", action="store_true", help="print each query of the measured pages, with plans")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: pages, ingest, exports")
    parser.add_argument("--json", default="", help="also write the results as JSON to this file")
    args = parser.parse_args(argv)

    _configure(args.scale)
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite" and args.rebuild:
        connection.close()
        Path(connection.settings_dict["NAME"]).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)

    import bench.steps  # noqa: F401  (every app's steps and pages, also when the world is reused)
    from bench import measure, world

    started = time.monotonic()
    if not world.is_built():
        from faportal.placements.models import Placement

        if Placement.objects.exists():
            print("The database has placements but no complete benchmark world: use an empty one.", file=sys.stderr)
            return 2
        print(f"Building the world at scale {args.scale:g} on {connection.vendor} …", flush=True)
        world.build(args.scale)
        print(f"Built in {time.monotonic() - started:.0f} s.", flush=True)
    if args.build_only:
        return 0
    skip = {part.strip() for part in args.skip.split(",") if part.strip()}
    report = measure.run(
        scale=args.scale, runs=args.runs, only=args.only, explain=args.explain, skip=skip, target_ms=TARGET_MS
    )
    report.print()
    if args.json:
        report.write_json(Path(args.json))
    return 0


if __name__ == "__main__":
    sys.exit(main())
