"""How SFM's coded values map onto ActorGraph's classes and concepts.

SFM's values come from researchers in several languages ("Ejército", "Policía", "Gendarmerie"), so
matching is on accent-free, lower-cased words. Each mapping keeps the original text elsewhere (the
unit's SFM classification concepts, the incident's notes), so nothing is lost when the closest
ActorGraph concept is coarser than SFM's wording.
"""

from __future__ import annotations

import re
from enum import Enum

from graph.errors import InvalidValueError
from graph.index.names import fold


def slug(text: str) -> str:
    """An IRI-safe slug of a text: accent-free, lower-case words joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{re.escape(word)}\b", text) for word in words)


# --------------------------------------------------------------------------------------------
# Confidence: SFM exports write Low/Medium/High, the CMS stores 1/2/3 (the notations of
# ag:ConfidenceScheme). An empty cell is recorded as low, which is what SFM's own importer does.
# --------------------------------------------------------------------------------------------

CONFIDENCE = {
    "low": "LowConfidence",
    "1": "LowConfidence",
    "medium": "MediumConfidence",
    "med": "MediumConfidence",
    "2": "MediumConfidence",
    "high": "HighConfidence",
    "3": "HighConfidence",
}
DEFAULT_CONFIDENCE = "LowConfidence"


class UnknownValue(InvalidValueError, ValueError):
    """A coded cell holds a value outside its code list."""


def confidence(text: str) -> str | None:
    """The ag: confidence concept for a cell, None for an empty cell."""
    value = fold(text)
    if not value:
        return None
    if value not in CONFIDENCE:
        raise UnknownValue(f"{text.strip()!r} is not a confidence; expected Low, Medium, High (or 1, 2, 3)")
    return CONFIDENCE[value]


# --------------------------------------------------------------------------------------------
# Y/N/E flags
# --------------------------------------------------------------------------------------------


def yes_no(text: str) -> bool | None:
    """A Y/N cell: True, False, or None when empty."""
    value = fold(text)
    if not value:
        return None
    if value in {"y", "yes", "true", "1"}:
        return True
    if value in {"n", "no", "false", "0"}:
        return False
    raise UnknownValue(f"{text.strip()!r} is not Y or N")


class OpenEnded(str, Enum):
    """SFM's 'is open-ended' flag on the last cited date of a relation (handbook: Unit: Related
    Unit is Open-Ended)."""

    ASSUMED_ONGOING = "Y"  # the relation is assumed to continue after the last cited date
    ENDED_UNKNOWN = "N"  # it is not assumed to continue, but the actual end is unknown
    EXACT_END = "E"  # the last cited date is the date it ended


def open_ended(text: str) -> OpenEnded | None:
    value = text.strip().upper()
    if not value:
        return None
    try:
        return OpenEnded(value)
    except ValueError:
        raise UnknownValue(f"{text.strip()!r} is not Y, N or E") from None


def restricted(text: str) -> bool:
    """source:restricted:admin: 1 (or Y) for a source that must not be shown publicly."""
    flag = yes_no(text)
    return bool(flag)


# --------------------------------------------------------------------------------------------
# Unit classes from SFM classifications
# --------------------------------------------------------------------------------------------

_GOVERNMENT = ("government", "gobierno", "gouvernement")
_POLICE = ("police", "policia", "policias", "policiers")
_INTELLIGENCE = ("intelligence", "inteligencia", "renseignement", "state security service", "security service")
_MILITARY = (
    "military",
    "militar",
    "militaire",
    "army",
    "ejercito",
    "armee",
    "navy",
    "armada",
    "marine",
    "marines",
    "infanteria de marina",
    "air force",
    "fuerza aerea",
    "armee de l'air",
    "national guard",
    "garde nationale",
    "gendarmerie",
    "special forces",
    "fuerzas especiales",
    "joint task force",
    "operacion conjunta",
)


def unit_class(classifications: list[str]) -> str:
    """The ag: class for a unit from its SFM classifications.

    A unit SFM classifies as government ("Président de la République": Government; Military;
    Police) is a government body. Otherwise a unit that is only military, only police or only
    intelligence gets that class; a unit classified as both military and police (a joint force), or
    with no recognizable classification, is a security-force unit. Every classification is also
    kept as an SFM classification concept (ag:actorType), so the coarse class loses nothing."""
    folded = [fold(value) for value in classifications]
    text = " | ".join(folded)
    if _has_any(text, _GOVERNMENT):
        return "GovernmentBody"
    kinds = {
        "MilitaryUnit": _has_any(text, _MILITARY),
        "PoliceUnit": _has_any(text, _POLICE),
        "IntelligenceService": _has_any(text, _INTELLIGENCE),
    }
    matched = [name for name, found in kinds.items() if found]
    return matched[0] if len(matched) == 1 else "SecurityForceUnit"


# --------------------------------------------------------------------------------------------
# Commander roles
# --------------------------------------------------------------------------------------------

_COMMANDER = re.compile(
    r"\b(commander|commandant|comandante|commanding officer|officer commanding|officer in command|"
    r"general officer commanding|goc|chef de corps|jefe de (la )?(zona|region|guarnicion|batallon|regimiento|brigada))\b"
)
_NOT_COMMANDER = re.compile(
    r"\b(deputy|vice|assistant|adjunto|adjunta|adjoint|sub|2ic|second[- ]in[- ]command|segundo comandante|second commander)\b"
)


def is_commander_role(role: str) -> bool:
    """True for a posting role that is command of the unit ("Commander", "Comandante",
    "Acting Commander", "Operations Commander"), false for deputies and staff posts ("Deputy
    Commander", "Segundo Comandante", "Subcomandante", "Chief of Staff")."""
    text = fold(role)
    return bool(_COMMANDER.search(text)) and not _NOT_COMMANDER.search(text)


# --------------------------------------------------------------------------------------------
# Violation types
# --------------------------------------------------------------------------------------------

# (ag: concept, words that signal it). Order matters only for readability: every matching concept
# is used, so "Torture and extrajudicial execution" gets both.
VIOLATION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("MassKilling", ("mass killing", "massacre", "masacre", "massacres", "mass murder", "genocide")),
    (
        "UnlawfulKilling",
        (
            "extrajudicial",
            "execution",
            "executions",
            "ejecucion",
            "ejecuciones",
            "killing",
            "killings",
            "killed",
            "murder",
            "homicide",
            "homicidio",
            "asesinato",
            "arbitrary deprivation of life",
            "right to life",
            "derecho a la vida",
        ),
    ),
    (
        "Torture",
        (
            "torture",
            "tortura",
            "torturas",
            "ill-treatment",
            "ill treatment",
            "malos tratos",
            "maltrato",
            "beating",
            "beatings",
            "beaten",
            "golpes",
            "golpiza",
            "cruel",
            "inhuman",
            "degrading",
            "personal integrity",
            "integridad personal",
            "physical integrity",
        ),
    ),
    ("SexualViolence", ("rape", "sexual", "violacion", "abuso sexual", "violencia sexual")),
    ("EnforcedDisappearance", ("disappearance", "disappearances", "disappeared", "desaparicion", "desaparecido", "desaparecidos")),
    (
        "ArbitraryDetention",
        (
            "detention",
            "detentions",
            "detained",
            "arrest",
            "arrests",
            "arrested",
            "liberty",
            "detencion",
            "arresto",
            "libertad",
            "incommunicado",
            "imprisonment",
            "custody",
        ),
    ),
    ("Abduction", ("abduction", "abductions", "abducted", "kidnapping", "kidnap", "secuestro", "hostage", "hostages")),
    ("ForcedDisplacement", ("displacement", "displaced", "desplazamiento", "expulsion", "eviction", "evictions")),
    (
        "DestructionOfProperty",
        (
            "destruction",
            "destroyed",
            "burning",
            "burned",
            "arson",
            "property",
            "looting",
            "pillage",
            "saqueo",
            "destruccion",
            "quema",
            "demolition",
        ),
    ),
    (
        "ChildRecruitment",
        (
            "child soldier",
            "child soldiers",
            "recruitment of children",
            "child recruitment",
            "use of children",
            "reclutamiento",
            "ninos soldado",
        ),
    ),
    ("AttackOnCivilians", ("attack on civilians", "attacks on civilians", "indiscriminate", "bombing", "shelling", "airstrike")),
    (
        "ExcessiveForce",
        ("excessive force", "excessive use of force", "protest", "protesters", "protestors", "crowd", "uso excesivo", "fuerza excesiva"),
    ),
)

# A violation type with no signal word: the broadest concept of ag:ViolationTypeScheme ("an
# indiscriminate or deliberate attack on civilians"), with SFM's text kept in the incident's notes.
FALLBACK_VIOLATION = "AttackOnCivilians"


def violation_concepts(text: str) -> tuple[list[str], bool]:
    """The ag: violation concepts for one SFM violation type, and whether any matched (False means
    the fallback concept was used)."""
    folded = fold(text)
    found = [concept for concept, words in VIOLATION_WORDS if _has_any(folded, words)]
    if not found:
        return [FALLBACK_VIOLATION], False
    return found, True


# --------------------------------------------------------------------------------------------
# Locations
# --------------------------------------------------------------------------------------------

# "Ciudad Juárez (osm, point) 48912ae1-bd01-434c-aa8c-c8092b904aae": a place name, where SFM found
# it (OpenStreetMap) and its own location id.
_LOCATION = re.compile(r"^(?P<name>.*?)\s*\((?P<origin>[^,()]+),\s*(?P<kind>[^()]+)\)\s*(?P<id>[0-9A-Fa-f-]{36})?$")


def place_name(text: str) -> str:
    """The place name of an SFM location cell, without its origin and id."""
    match = _LOCATION.match(text.strip())
    name = match.group("name") if match else text
    return re.sub(r"\s+", " ", name).strip()
