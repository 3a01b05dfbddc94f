"""Graph views: turning what graph.tracing (and friends) return into the nodes, edges, legend and
controls that the browser's vis-network draws.

Split in three small modules so each concern has one home:

- `safety`: escaping and URL checks, applied to every value before it reaches pyvis or a page;
- `styling`: which class of actor gets which colour and shape, and how an edge is drawn;
- `build`: assembling a view (through pyvis's Network) from ego networks, paths, programs and
  query results.
"""
