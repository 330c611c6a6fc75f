"""Billing (SPEC S7): tariffs, orders, invoices, credit notes and matching.

``faportal.billing.peppol`` is the plain library for the PEPPOL UBL documents (no Django, none of our apps).
"""
