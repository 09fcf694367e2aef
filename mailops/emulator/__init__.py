"""A local Google Workspace: the Admin SDK Directory API v1 over real HTTP, on loopback.

google-api-python-client talks to it exactly as it talks to Google (point the discovery
document's ``rootUrl`` at ``base_url``). State lives in one SQLite file; faults and quotas are
injectable; the demo seed is a fictional municipality, "Alcaldía Municipal de Cajicá".

Example::

    from mailops.emulator import EmulatorServer, Faults

    with EmulatorServer(faults=Faults(quota_per_minute=None)) as emu:
        base_url = emu.base_url      # "http://127.0.0.1:PORT/"

Adding an API area (Reports, Gmail, Status): see ``mailops.emulator.context.Area`` and
``mailops.emulator.areas.AREAS``.
"""

from __future__ import annotations

from mailops.emulator.faults import Faults
from mailops.emulator.server import EmulatorServer, serve

__all__ = ["EmulatorServer", "Faults", "serve"]
