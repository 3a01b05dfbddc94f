"""States by ISO 3166-1 alpha-2 code (from pycountry), named the way ActorGraph names them.

SFM gives a unit's or person's country as a two-letter code ('ng', 'mx'). ActorGraph names states
`https://w3id.org/actorgraph/id/state/{slug of the short English name}` (state/nigeria,
state/united-kingdom). Minting the SFM country from this table gives the same IRI the demo data
uses, whatever the store holds at import time, so an import is deterministic and still lands on
the existing state node. A test checks the table against every state in the demo data.
"""

from __future__ import annotations

import pycountry

from graph.errors import InvalidValueError
from graph.ingest.importers.sfm.vocab import slug
from ontology.namespaces import data_iri

# ActorGraph names a state by its short English name: pycountry's common name, else its ISO name,
# except where that is a long or inverted form ("Congo, The Democratic Republic of the").
SHORT_NAMES = {
    "BN": "Brunei", "BQ": "Caribbean Netherlands", "CD": "Democratic Republic of the Congo", "CG": "Republic of the Congo",
    "FK": "Falkland Islands", "FM": "Micronesia", "MF": "Saint Martin", "PN": "Pitcairn Islands", "PS": "Palestine",
    "RU": "Russia", "SH": "Saint Helena", "ST": "São Tomé and Príncipe", "SX": "Sint Maarten", "VA": "Holy See",
    "VG": "British Virgin Islands", "VI": "United States Virgin Islands", "XK": "Kosovo",
}  # fmt: skip
# The codes ISO leaves to users (AA, QM-QZ, XA-XZ, ZZ): SFM uses them for entities without a code
# of their own; each becomes a state named by its code.
USER_ASSIGNED = ("AA", *(f"Q{c}" for c in "MNOPQRSTUVWXYZ"), *(f"X{c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), "ZZ")


def _names() -> dict[str, str]:
    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    names.update(SHORT_NAMES)
    for code in USER_ASSIGNED:
        names.setdefault(code, code)
    return dict(sorted(names.items()))


COUNTRY_NAMES: dict[str, str] = _names()


class UnknownCountry(InvalidValueError, ValueError):
    """A country cell holds no ISO 3166-1 alpha-2 code."""


def country_code(text: str) -> str:
    """The upper-case ISO code of a country cell: 'ng', 'NG' or SFM's 'ocd-division/country:ng'."""
    value = text.strip()
    if value.lower().startswith("ocd-division/country:"):
        value = value.split(":", 1)[1]
    code = value.upper()
    if code not in COUNTRY_NAMES:
        raise UnknownCountry(f"{text.strip()!r} is not an ISO 3166-1 alpha-2 country code (such as ng or mx)")
    return code


def state_iri(code: str) -> str:
    """The ActorGraph IRI of the state with this ISO code."""
    return data_iri("state", slug(COUNTRY_NAMES[code]))
