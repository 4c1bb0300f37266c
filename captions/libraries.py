"""Picture libraries' credits: the library's name first, then whom it holds the picture for.

"Album / Paramount Pictures", "Everett Collection / Netflix": after a library whose profile says
`owner_after`, a name is the studio or rights owner, never a photographer, so the chain reads
it as the source and the library as the supplier.
"""

from __future__ import annotations

from captions.parties import Party, Role


def owners_after_library(parties: list[Party]) -> None:
    """Read the people named after a leading library as the owners they are, in place."""
    if not parties:
        return
    first = parties[0]
    if first.profile is None or not first.profile.owner_after:
        return
    for index in range(1, len(parties)):
        party = parties[index]
        if party.role is Role.PERSON:
            parties[index] = Party(Role.ORGANISATION, party.name, None, party.handout, party.pool)
