"""The Directory API model: state and rules, one method per API method (moto style).

``DirectoryModel`` joins the users, groups/members and org units/domains/customer parts; the
HTTP layer (``responses``) parses requests and calls it, never the other way round.
"""

from __future__ import annotations

from mailops.emulator.directory.groups import GroupsModel
from mailops.emulator.directory.orgunits import OrgUnitsModel
from mailops.emulator.directory.users import UsersModel

__all__ = ["DirectoryModel"]


class DirectoryModel(UsersModel, GroupsModel, OrgUnitsModel):
    """Every Directory API method the emulator implements."""
