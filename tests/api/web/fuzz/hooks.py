"""schemathesis hooks for the fuzz run (loaded through SCHEMATHESIS_HOOKS by test_schemathesis.py).

The API takes several bodies as plain text under their own media types (SPARQL queries and
updates, RDF documents, CSV lists); schemathesis serializes none of them by itself, so each is sent
the way it sends text/plain.
"""

from __future__ import annotations

import schemathesis

TEXT_BODIES = [
    "application/sparql-query",
    "application/sparql-update",
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "text/csv",
]

schemathesis.serializer.alias(TEXT_BODIES, "text/plain")
