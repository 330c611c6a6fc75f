"""BankID relying-party API v6.0: our own client, user messages and a local simulator of BankID's server.

This package knows nothing of our models or other apps. The login code uses:

* ``faportal.bankid.client``: ``BankIDClient`` and ``ssl_context_for``,
* ``faportal.bankid.types`` and ``faportal.bankid.errors``: the typed results and the exception hierarchy,
* ``faportal.bankid.qr``, ``faportal.bankid.messages``, ``faportal.bankid.launch``: animated QR, RFA texts, autostart.

The simulator lives in ``faportal.bankid.simulator`` and is never used in production.
"""
