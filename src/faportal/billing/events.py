"""What billing adds to the placement's timeline (Händelser): an order from Arbetsförmedlingen (SPEC S7.2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faportal.placements import timeline


def _order_issued(data: Mapping[str, Any]) -> str:
    from faportal.billing.messages import ORDER_KINDS

    return _("Purchase order %(number)s: %(kind)s") % {
        "number": data.get("number", ""),
        "kind": ORDER_KINDS.get(str(data.get("order_kind", "")), data.get("order_kind", "")),
    }


ORDER_ISSUED = timeline.register_event_kind(
    timeline.EventKind("order_issued", gettext_lazy("Purchase order"), describe=_order_issued)
)
