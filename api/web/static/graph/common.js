/* What the graph view's modules share: size thresholds, performance marks, ids in paths. */

/* Above this many nodes a view is "large": no curves, tree start positions, no label declutter. */
export const LARGE = 300;
/* Edge labels (type and dates) show on hover and for the selected node's edges only: drawn
 * permanently they cover nodes and each other as soon as a node has a handful of relations. */
export const EDGE_LABEL_SIZE = 11;
/* Node labels are drawn at this size (canvas units); a view is fitted no smaller than
 * MIN_LABEL_PX / NODE_LABEL_SIZE, so a label stays readable at the default zoom. */
export const NODE_LABEL_SIZE = 15;
export const MIN_LABEL_PX = 10;

/* Performance marks for bench/views.py: start, data ready, network created, ready. */
export function mark(name) {
  if (window.performance && performance.mark) performance.mark(name);
}

export function pathId(iri) {
  return encodeURIComponent(iri);
}
