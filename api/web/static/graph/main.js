/* Graph views' entry point: a GraphPage for each [data-graph] element of the page.
 *
 * - hover: a node's name and type (vis-network shows `title` as plain text);
 * - click: the details panel (details.js);
 * - double-click: expands the node's neighbours in place (expansion.js);
 * - date and relation-type controls (filters.js).
 */

import { clear, decode, el } from "../shared.js";
import { GraphPage } from "./page.js";

/* Test and benchmark hook: what is drawn, and whether the layout settled. */
function expose(page) {
  window.actorGraphView = {
    page: page,
    ready: function () { return page.ready; },
    visibleNodeIds: function () { return Array.from(page.visibleNodes).map(decode); },
    visibleEdgeIds: function () { return Array.from(page.visibleEdges).map(decode); },
    nodeCount: function () { return page.nodeSet.get({ filter: function (n) { return !n.hidden; } }).length; },
    edgeCount: function () { return page.edgeSet.get({ filter: function (e) { return !e.hidden; } }).length; },
    positionOf: function (iri) {
      var id = Array.from(page.nodes.keys()).find(function (k) { return decode(k) === iri; });
      if (id === undefined) return null;
      return page.network.canvasToDOM(page.network.getPositions([id])[id]);
    },
  };
}

document.addEventListener("DOMContentLoaded", function () {
  var roots = document.querySelectorAll("[data-graph]");
  roots.forEach(function (root, i) {
    try {
      var page = new GraphPage(root);
      if (i === 0) expose(page);
    } catch (error) {
      var canvas = root.querySelector(".graph-canvas");
      if (canvas) { clear(canvas); canvas.appendChild(el("p", { class: "error" }, "The graph could not be drawn: " + String(error.message || error))); }
    }
  });
});
