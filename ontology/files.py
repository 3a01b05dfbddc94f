"""Where the model's data files live inside the installed package."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
OWL_FILE = HERE / "actorgraph.ttl"
VOCABULARIES_FILE = HERE / "vocabularies.ttl"
SHAPES_FILE = HERE / "shapes.ttl"
OPERATIONS_FILE = HERE / "operations.ttl"

# The files that together make up the ontology graph in the store.
MODEL_FILES: tuple[Path, ...] = (OWL_FILE, VOCABULARIES_FILE, OPERATIONS_FILE)
