"""The one seam to Google: services, call execution (retries, pacing, paging, batches), errors.

Only this package imports googleapiclient. Everything else talks to Google Workspace, or to
the local emulator, through ``connect()``::

    from mailops.workspace import connect
    with connect() as ws:
        frame = ws.directory.users_frame("isSuspended=false")
"""

from __future__ import annotations

from mailops.workspace import directory_calls
from mailops.workspace.connection import Workspace, connect
from mailops.workspace.directory import Directory
from mailops.workspace.directory_types import (
    Customer,
    DomainAliasInfo,
    DomainInfo,
    Group,
    Member,
    OrgUnit,
    User,
    groups_frame,
    users_frame,
)
from mailops.workspace.execution import BatchReport, Call, Executor, ItemResult
from mailops.workspace.gmail import Gmail, MailboxSettings, MailMessage, SentMessage
from mailops.workspace.reports import Reports, ReportWarning, UsageResult
from mailops.workspace.status import Incident, ProductStatus, StatusDashboard

__all__ = [
    "BatchReport",
    "Call",
    "Customer",
    "Directory",
    "DomainAliasInfo",
    "DomainInfo",
    "Executor",
    "Gmail",
    "Group",
    "Incident",
    "ItemResult",
    "MailMessage",
    "MailboxSettings",
    "Member",
    "OrgUnit",
    "ProductStatus",
    "ReportWarning",
    "Reports",
    "SentMessage",
    "StatusDashboard",
    "UsageResult",
    "User",
    "Workspace",
    "connect",
    "directory_calls",
    "groups_frame",
    "users_frame",
]
