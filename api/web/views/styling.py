"""How a graph view draws things: one category per kind of actor, each with a colour and a shape,
and the rules that make an edge dashed.

Why categories and not classes: the ontology has some forty actor classes; a legend with forty
colours helps nobody. Program officers think in about a dozen groups (the state, its security
units, armed groups, religious and traditional authorities, illicit networks, civil society...),
so each class is mapped to the first group that one of its superclasses belongs to. The mapping
is by class IRI and follows rdfs:subClassOf (through graph.index.terms.Terms), so a subclass added to
the ontology later falls into its parent's group without a code change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.index.terms import Terms
from ontology.namespaces import AG


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    color: str
    shape: str


# Order matters: the first category whose class is among a node's ancestors wins, so narrower
# groups (security units, armed groups) come before the broader ones they sit under.
CATEGORIES: tuple[tuple[str | None, Category], ...] = (
    (AG + "State", Category("state", "State", "#1f4e79", "star")),
    (AG + "SecurityForceUnit", Category("security", "Security-force unit", "#2e7d32", "square")),
    (AG + "NonStateArmedGroup", Category("armed", "Militia or armed group", "#c62828", "triangle")),
    (AG + "ReligiousAuthority", Category("religious", "Religious or traditional authority", "#8e24aa", "hexagon")),
    (AG + "TraditionalAuthority", Category("religious", "Religious or traditional authority", "#8e24aa", "hexagon")),
    (AG + "IllicitNetwork", Category("illicit", "Illicit network", "#6d4c41", "triangleDown")),
    (AG + "CivilSocietyOrganization", Category("civil", "Civil society", "#00897b", "dot")),
    (AG + "FormalInstitution", Category("institution", "Government or justice body", "#5c6bc0", "square")),
    (AG + "InternationalOrganization", Category("international", "International, regional or donor body", "#0288d1", "hexagon")),
    (AG + "RegionalOrganization", Category("international", "International, regional or donor body", "#0288d1", "hexagon")),
    (AG + "DonorAgency", Category("international", "International, regional or donor body", "#0288d1", "hexagon")),
    (AG + "Person", Category("person", "Person", "#e0a100", "dot")),
    (AG + "Program", Category("program", "Program", "#ef6c00", "box")),
    (AG + "Incident", Category("incident", "Incident", "#ad1457", "diamond")),
)
OTHER = Category("other", "Other", "#8a94a3", "dot")
ALL_CATEGORIES: tuple[Category, ...] = tuple(dict.fromkeys([c for _, c in CATEGORIES] + [OTHER]))

# Vetting outcomes (graph.vetting.engine): clear / review / flag, coloured like traffic lights, so a
# program's partners read at a glance. Shape still says what kind of actor it is.
OUTCOME_COLORS = {"clear": "#2e7d32", "review": "#f9a825", "flag": "#c62828"}
OUTCOME_LABELS = {"clear": "Vetting: clear", "review": "Vetting: review", "flag": "Vetting: flag"}
NO_OUTCOME_COLOR = "#b0b8c4"

# Relation classes drawn in red: violence. Others share one neutral colour so the dashes
# (alleged / low confidence) and the labels carry the meaning.
VIOLENT_RELATIONS = frozenset({AG + "Perpetration", AG + "Involvement"})
EDGE_COLOR = "#7a8899"
VIOLENT_EDGE_COLOR = "#c62828"


def category(terms: Terms, class_names: Iterable[str], kind: str = "actor") -> Category:
    """The category of a node from its classes (short names as graph.tracing gives them, or IRIs)."""
    ancestors: set[str] = set()
    for name in class_names:
        iri = name if "://" in name else AG + name
        ancestors |= terms.ancestors(iri)
    for cls, found in CATEGORIES:
        if cls in ancestors:
            return found
    if kind == "program":
        return dict(CATEGORIES)[AG + "Program"]
    if kind == "incident":
        return dict(CATEGORIES)[AG + "Incident"]
    return OTHER


def is_dashed(confidence: str | None, status: str | None) -> bool:
    """Alleged links and low-confidence links are dashed: the eye should not read them as fact."""
    return (status or "").strip().casefold() == "alleged" or (confidence or "").strip().casefold() == "low"


def edge_color(relation_class: str, terms: Terms) -> str:
    ancestors = terms.ancestors(relation_class if "://" in relation_class else AG + relation_class)
    return VIOLENT_EDGE_COLOR if ancestors & VIOLENT_RELATIONS else EDGE_COLOR
