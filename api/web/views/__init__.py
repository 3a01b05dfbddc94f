"""Graph views: turning what graph.tracing (networks, paths, profiles and friends) return into the nodes, edges, legend and
controls that the browser's vis-network draws.

Small modules, one concern each:

- `safety`: escaping and URL checks, applied to every value before it reaches pyvis or a page;
- `styling`: which kind of actor gets which colour and shape, and when an edge is dashed;
- `build`: assembling a view (through pyvis's Network) from ego networks, paths and query results;
- `details`: the details panel of a clicked node;
- `program_views` and `query_views`: the program view, and library or posted queries as graphs.

The routes live in api/web/routers/views.py (graph views) and api/web/routers/pages.py (HTML pages).
"""
