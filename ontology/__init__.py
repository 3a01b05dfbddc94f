"""The ActorGraph model, kept as data (OWL, SKOS, SHACL in Turtle), with a thin loader and checker."""
