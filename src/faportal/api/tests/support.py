"""Helpers for the integration API's tests: calls with a key, a decision's body, the problems of an answer."""

from __future__ import annotations

import json
from typing import Any

from faportal.testing import personnummer

BASE = "/api/integration/v1/"
PNR = personnummer(1985, 6, 15, serial=42)


class Api:
    """The test client, calling the integration API with a key (or none)."""

    def __init__(self, client: Any, key: str | None) -> None:
        self.client = client
        self.key = key

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"} if self.key else {}

    def post(self, path: str, body: Any) -> Any:
        content = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(BASE + path, content, content_type="application/json", headers=self._headers())

    def get(self, path: str) -> Any:
        return self.client.get(BASE + path, headers=self._headers())


def decision_body(world: Any, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "key": "af-beslut-1001",
        "participant": {
            "personnummer": f"{PNR[:8]}-{PNR[8:]}",
            "given_name": "Petra",
            "surname": "Deltagare",
            "postcode": "111 22",
            "needs_language_support": True,
            "language": "Somaliska",
        },
        "service_code": "rusta-och-matcha",
        "address_ka_id": world.a11.ka_id,
        "level": "B",
        "decided_on": "2026-11-24",
    }
    body.update(changes)
    return body


def problems(response: Any) -> dict[tuple[str, str], str]:
    """The problems of an answer, as {(field, code): message}."""
    return {(p["field"], p["code"]): p["message"] for p in response.json()["problems"]}
