"""Billing reacts to the documents below it: Af's approvals issue orders and goods receipts (SPEC S7.2, S7.3)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from faportal.billing import rules
from faportal.documents.signals import document_decided


@receiver(document_decided, dispatch_uid="billing.react_to_decision")
def react_to_decision(sender: Any, *, document_id: int, kind: str, approved: bool, **kwargs: Any) -> None:
    """An approved plan, result report or monthly report: the worker issues the order or the goods receipt.

    Which kinds matter is billing's knowledge (``rules.ORDER_FOR_DOCUMENT_KIND``, ``rules.GOODS_RECEIPT_KIND``): a
    new kind of result report needs no code here, only its key. Other decisions are not queued at all.
    """
    if not approved or (kind not in rules.ORDER_FOR_DOCUMENT_KIND and kind != rules.GOODS_RECEIPT_KIND):
        return
    from faportal.billing.tasks import react_to_decision as task

    task.enqueue(document_id=document_id, kind=kind, approved=approved)
