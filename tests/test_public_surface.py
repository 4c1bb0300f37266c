"""`assets` names the surface the API builds on, and every name in it is there."""

from __future__ import annotations

import assets


def test_every_public_name_resolves_and_is_listed_once():
    assert len(assets.__all__) == len(set(assets.__all__))
    missing = [name for name in assets.__all__ if not hasattr(assets, name)]
    assert missing == []


def test_the_surface_is_the_modules_own_objects():
    from assets.catalogue import get_asset
    from assets.checks import check_assets

    assert assets.get_asset is get_asset and assets.check_assets is check_assets
