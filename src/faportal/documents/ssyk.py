"""SSYK 2012, the Swedish occupation classification (Standard för svensk yrkesklassificering), shipped as data.

The final report names the participant's new occupation by it (SPEC S5.8): an occupational area (yrkesområde, the
classification's first level: ten) and an occupation group in it (yrkesgrupp, the four-digit level: 429), shown in
the area's main groups (huvudgrupp, the second level). The file ``data/ssyk2012.csv`` (``level;code;name``) holds
levels 1, 2 and 4 as Statistics Sweden (SCB) publishes them; a submitted report keeps the version, code and name it
was written with, so a later version of the classification never changes what was reported. Plain Python: the rules
and the kinds read it.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

VERSION = "SSYK 2012"
SOURCE = "Statistiska centralbyrån (SCB), Standard för svensk yrkesklassificering 2012 (SSYK 2012)"
DATA = Path(__file__).resolve().parent / "data" / "ssyk2012.csv"


@dataclass(frozen=True)
class Group:
    """An occupation group (yrkesgrupp, four digits)."""

    code: str
    name: str


@dataclass(frozen=True)
class MainGroup:
    """A main group (huvudgrupp, two digits) and its occupation groups."""

    code: str
    name: str
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Area:
    """An occupational area (yrkesområde, one digit) and its main groups."""

    code: str
    name: str
    main_groups: tuple[MainGroup, ...]


@functools.cache
def areas() -> tuple[Area, ...]:
    """The classification, area by area, in code order."""
    with DATA.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    by_level: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_level.setdefault(row["level"], []).append(row)
    result = []
    for area in sorted(by_level["1"], key=lambda row: row["code"]):
        mains = []
        for main in sorted(by_level["2"], key=lambda row: row["code"]):
            if not main["code"].startswith(area["code"]):
                continue
            groups = tuple(
                Group(row["code"], row["name"])
                for row in sorted(by_level["4"], key=lambda row: row["code"])
                if row["code"].startswith(main["code"])
            )
            mains.append(MainGroup(main["code"], main["name"], groups))
        result.append(Area(area["code"], area["name"], tuple(mains)))
    return tuple(result)


@functools.cache
def group_areas() -> dict[str, str]:
    """Each occupation group's code → its area's code."""
    return {group.code: area.code for area in areas() for main in area.main_groups for group in main.groups}


@functools.cache
def names() -> dict[str, str]:
    """Every area's and occupation group's code → its name."""
    found = {area.code: area.name for area in areas()}
    found.update({group.code: group.name for area in areas() for main in area.main_groups for group in main.groups})
    return found
