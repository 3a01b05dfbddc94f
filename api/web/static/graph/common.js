/* What the graph view's modules share: size thresholds, performance marks, ids in paths. */

/* Above this many nodes a view is "large": no edge labels or curves, tree start positions. */
export const LARGE = 300;
export const EDGE_LABELS_UP_TO = 30;
export const EDGE_LABEL_SIZE = 11;

/* Performance marks for bench/views.py: start, data ready, network created, ready. */
export function mark(name) {
  if (window.performance && performance.mark) performance.mark(name);
}

export function pathId(iri) {
  return encodeURIComponent(iri);
}
