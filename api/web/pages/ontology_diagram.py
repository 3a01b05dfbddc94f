"""A diagram of the main classes and the relation nodes between them, drawn as inline SVG from the
ontology itself: each relation class in the middle, its role properties as arrows to the classes
they point at (actors, programs, incidents, agreements). Server-side SVG needs no script and no
network, prints, and stays in step with the model because nothing in it is written by hand."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from api.web.pages.ontology_terms import OntologyDoc, anchor
from ontology.namespaces import AG

RELATION = AG + "Relation"
ROW, BOX_H, WIDTH = 30, 22, 940
MIDDLE_X, MIDDLE_W, TARGET_X, TARGET_W, SOURCE_X, SOURCE_W = 360, 200, 700, 220, 20, 220


@dataclass(frozen=True)
class Edge:
    relation: str  # a relation class
    prop: str  # its role property
    target: str  # the class the property points at


def _is_relation(doc: OntologyDoc, iri: str) -> bool:
    return RELATION in doc.ancestors(iri)


def role_edges(doc: OntologyDoc) -> list[Edge]:
    """Every object property whose domain is a relation class and whose range is a documented class
    that is not a relation itself: the roles a relation node links."""
    classes = {c.iri for c in doc.classes}
    edges: list[Edge] = []
    for prop in doc.properties:
        if prop.kind != "object property" or prop.iri in doc.store_terms:
            continue
        for domain in prop.domains:
            if domain in classes and domain != RELATION and _is_relation(doc, domain):
                edges.extend(Edge(domain, prop.iri, r) for r in prop.ranges if r in classes and not _is_relation(doc, r))
    return edges


def _label(doc: OntologyDoc, iri: str) -> str:
    return doc.labels.get(iri) or anchor(iri)


def _by_label(doc: OntologyDoc, iris: set[str]) -> list[str]:
    return sorted(iris, key=lambda iri: _label(doc, iri).casefold())


def _box(x: int, y: int, width: int, iri: str, label: str, css: str) -> str:
    return (
        f'<a href="#{escape(anchor(iri))}"><rect class="{css}" x="{x}" y="{y}" width="{width}" height="{BOX_H}" rx="4"/>'
        f'<text x="{x + width / 2:.0f}" y="{y + 15}" text-anchor="middle">{escape(label)}</text><title>{escape(label)}</title></a>'
    )


def relation_diagram(doc: OntologyDoc) -> str:
    """The SVG: relation classes in the middle column; each one's first role on the left and the
    others on the right, so that "commander -> Command -> commanded unit" reads left to right."""
    edges = role_edges(doc)
    relations = _by_label(doc, {e.relation for e in edges})
    if not relations:
        return ""
    roles = {r: [e for e in edges if e.relation == r] for r in relations}
    left = _by_label(doc, {rs[0].target for rs in roles.values()})
    right = _by_label(doc, {e.target for rs in roles.values() for e in rs[1:]})
    height = ROW * max(len(relations), len(left), len(right)) + 20
    place = {
        "middle": {iri: 10 + i * ROW * (height - 20) // (ROW * len(relations)) for i, iri in enumerate(relations)},
        "left": {iri: 10 + i * (height - 20) // max(len(left), 1) for i, iri in enumerate(left)},
        "right": {iri: 10 + i * (height - 20) // max(len(right), 1) for i, iri in enumerate(right)},
    }
    parts = []
    for relation, relation_roles in roles.items():
        y = place["middle"][relation] + BOX_H // 2
        for index, edge in enumerate(relation_roles):
            side = "left" if index == 0 else "right"
            ty = place[side][edge.target] + BOX_H // 2
            x1, x2 = (SOURCE_X + SOURCE_W, MIDDLE_X) if side == "left" else (MIDDLE_X + MIDDLE_W, TARGET_X)
            label = escape(_label(doc, edge.prop))
            parts.append(f'<path class="role" d="M{x1},{ty if side == "left" else y} L{x2},{y if side == "left" else ty}"><title>{label}</title></path>')
    for iri, y in place["left"].items():
        parts.append(_box(SOURCE_X, y, SOURCE_W, iri, _label(doc, iri), "target"))
    for iri, y in place["middle"].items():
        parts.append(_box(MIDDLE_X, y, MIDDLE_W, iri, _label(doc, iri), "relation"))
    for iri, y in place["right"].items():
        parts.append(_box(TARGET_X, y, TARGET_W, iri, _label(doc, iri), "target"))
    return (
        f'<svg class="model-diagram" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="Relation classes and the classes their roles link">{"".join(parts)}</svg>'
    )
