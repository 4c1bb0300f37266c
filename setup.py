"""Build step beyond pyproject.toml: the caption parser's hot modules are compiled with mypyc.

Every upload, re-parse and `POST /v1/captions/parse` runs the parser, and mypyc turns its
typed Python into C extension modules that run the same code about 1.4x faster. The Python
sources stay the truth: set RIGHTSDESK_PURE_PYTHON=1 to install without compiling (or on a
machine without a C compiler), and the package behaves the same, only slower.
"""

from __future__ import annotations

import os

from setuptools import setup

# The modules a caption passes through; model.py (a plain dataclass) is
# not worth compiling. normalise.py runs only for the few captions that are not plain Latin text,
# and compiled its letter-spacing collapse returned corrupt spans: it stays interpreted.
COMPILED_MODULES = [
    "captions/chain.py",
    "captions/countries.py",
    "captions/credit.py",
    "captions/dates.py",
    "captions/embargo.py",
    "captions/lexicon.py",
    "captions/libraries.py",
    "captions/parser.py",
    "captions/parties.py",
    "captions/places.py",
    "captions/profiles.py",
    "captions/restrictions.py",
    "captions/sentences.py",
    "captions/supplier_match.py",
    "captions/text.py",
    "captions/tolerant.py",
]


def compiled_extensions() -> list:
    if os.environ.get("RIGHTSDESK_PURE_PYTHON"):
        return []
    from mypyc.build import mypycify

    # The group names the shared library that benches/caption_build.py checks the date of.
    return mypycify(COMPILED_MODULES, opt_level="3", group_name="rightsdesk_captions")


setup(ext_modules=compiled_extensions())
