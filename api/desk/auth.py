"""Who may open each desk page and take each action: the API's roles, checked by the same
dependency as the JSON routes, with the CSRF token required on every change."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from api.deps import Caller, Require
from assets.keys import Role

DeskViewer = Annotated[Caller, Depends(Require(Role.VIEWER, csrf_without_auth=True))]
DeskEditor = Annotated[Caller, Depends(Require(Role.EDITOR, csrf_without_auth=True))]
DeskRightsManager = Annotated[Caller, Depends(Require(Role.RIGHTS_MANAGER, csrf_without_auth=True))]
# a kill: a rights manager or admin, or a key given the kill permission (as the API)
DeskKiller = Annotated[
    Caller, Depends(Require(Role.RIGHTS_MANAGER, or_kill_permission=True, csrf_without_auth=True))
]
DeskChecker = Annotated[Caller, Depends(Require(Role.HOOK, csrf_without_auth=True))]
