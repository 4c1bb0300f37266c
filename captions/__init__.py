"""Caption text -> ParsedCaption. Pure: no I/O, no DB, no HTTP. Agencies are profile files.

>>> from captions import parse_caption
>>> parse_caption("Kyiv, Ukraine, 3 March 2024. REUTERS/Jane Doe").agency
'Reuters'
"""

from captions.model import ParsedCaption
from captions.parser import PARSER_VERSION, parse_caption
from captions.profiles import PROFILES, Profile, agency_profile

__all__ = [
    "PARSER_VERSION",
    "PROFILES",
    "ParsedCaption",
    "Profile",
    "agency_profile",
    "parse_caption",
]
