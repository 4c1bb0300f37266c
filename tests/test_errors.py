"""One error hierarchy: every refusal is a RightsdeskError, and api/problems.py alone says
what each means over HTTP."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import api.problems as problems
from assets.backup import BackupError
from assets.blobs import BlobError, BlobNotFound, BlobStoreUnavailable
from assets.errors import AssetError, AssetNotFound, Conflict, EmptyUpload, InvalidRequest
from assets.metadata import CannotEmbed, ImageTooLarge, MetadataError, UnsupportedMedia
from assets.suppliers import UnknownSupplier
from captions.errors import CaptionError
from captions.profiles import load_profiles
from rights import RightsdeskError, UnknownTerritory, WireError

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "domain", [AssetError, MetadataError, BlobError, CaptionError, WireError, UnknownTerritory]
)
def test_every_domain_error_is_a_rightsdesk_error(domain):
    assert issubclass(domain, RightsdeskError)


def test_errors_that_were_value_or_lookup_errors_still_are():
    assert issubclass(WireError, ValueError) and issubclass(UnknownTerritory, ValueError)
    assert issubclass(BlobNotFound, LookupError)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (EmptyUpload("x"), 400),
        (AssetNotFound("x"), 404),
        (InvalidRequest("x"), 400),
        (Conflict("x"), 409),
        (UnknownSupplier("x", "target", []), 422),
        (BackupError("x"), 400),
        (BlobStoreUnavailable("x"), 503),
        (UnsupportedMedia("x"), 415),
        (ImageTooLarge("x"), 413),
        (CannotEmbed("x"), 415),
    ],
)
def test_problems_maps_each_client_error_to_its_status(error, status):
    found = problems.problem_status(error)
    assert found is not None and found.status == status


@pytest.mark.parametrize("error", [WireError("x"), CaptionError("x"), BlobNotFound("x")])
def test_errors_that_are_not_the_clients_have_no_4xx(error):
    assert problems.problem_status(error) is None


def test_a_subclass_without_an_entry_takes_its_nearest_mapped_class():
    class Gone(AssetNotFound):
        pass

    found = problems.problem_status(Gone("x"))
    assert found is not None and found.status == 404


def test_no_domain_error_carries_an_http_status():
    """The domain says what went wrong; the status lives in api/problems.py only."""
    carriers = []
    for package in ("assets", "rights", "captions"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef):
                    names = {
                        t.id
                        for s in node.body
                        if isinstance(s, ast.Assign | ast.AnnAssign)
                        for t in (s.targets if isinstance(s, ast.Assign) else [s.target])
                        if isinstance(t, ast.Name)
                    }
                    if names & {"status", "title", "status_code"} and "Error" in ast.unparse(node):
                        carriers.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert carriers == []


def test_a_broken_agency_profile_is_a_caption_error_naming_the_file(tmp_path):
    (tmp_path / "good.toml").write_text('name = "Good"\n', encoding="utf-8")
    (tmp_path / "broken.toml").write_text('aliases = ["no name"]\n', encoding="utf-8")
    with pytest.raises(CaptionError, match=r"broken\.toml"):
        load_profiles(tmp_path)
    (tmp_path / "broken.toml").write_text('name = "X"\n[[reference]]\npattern = "("\n')
    with pytest.raises(CaptionError, match=r"broken\.toml"):
        load_profiles(tmp_path)
