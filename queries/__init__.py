"""The SPARQL library: one .rq file per named query, with a header, and a catalog to list and load them."""
