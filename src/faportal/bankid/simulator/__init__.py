"""A local simulator of BankID's RP API v6.0 server, for development, demos and tests (reference §2).

The portal cannot tell it from BankID except by its base URL and CA. It must never run in production:
``SimulatorServer.start`` and ``python -m faportal.bankid.simulator`` refuse when ``FAPORTAL_ENV=production``, and
``certs.is_simulator_ca`` lets the portal's production start-up check refuse its CA.
"""
