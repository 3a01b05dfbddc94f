"""Graph views: turning what graph.tracing (networks, paths, profiles and friends) return into the nodes, edges, legend and
controls that the browser's vis-network draws.

Small modules, one concern each:

- `safety`: escaping and URL checks, applied to every value before it reaches pyvis or a page;
- `styling`: which kind of actor gets which colour and shape, and when an edge is dashed;
- `graph_view`: a view as the page receives it, and the assembler that collects its nodes and edges through pyvis;
- `build`: which nodes and edges a view of an ego network, paths or a query result shows;
- `details`: the details panel of a clicked node;
- `program_views` and `query_views`: the program view, and library or posted queries as graphs.

The routes live in api.web.routers.views (graph views) and api.web.pages (HTML pages).
"""
