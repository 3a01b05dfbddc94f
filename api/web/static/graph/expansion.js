/* Graph view expansion: a double-click adds a node's neighbours around it, in place.
 *
 * Its exports are methods of GraphPage (graph/page.js), called with `this` the page.
 */

import { authFetch, decode } from "../shared.js";
import { pathId } from "./common.js";

/* Double-click: add the node's neighbours around it, without moving what is there. */
export function expand(id) {
  var self = this;
  var node = this.nodes.get(id);
  if (!node) return;
  var params = new URLSearchParams({ depth: "1" });
  if (this.data.filterMode === "server" && this.day) params.set("at", this.day);
  authFetch("/view/data/network/" + pathId(decode(id)) + "?" + params.toString(), { headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
    .then(function (data) {
      var added = self.merge(data, id);
      var origin = self.network.getPositions([id])[id] || { x: 0, y: 0 };
      added.forEach(function (n, i) {
        var a = (2 * Math.PI * i) / Math.max(added.length, 1);
        var r = 120 + 6 * added.length;
        n.x = Math.round(origin.x + r * Math.cos(a));
        n.y = Math.round(origin.y + r * Math.sin(a));
      });
      self.roots.set(id, Math.max(1, self.roots.get(id) || 0));
      self.computeVisibility();
      self.nodeSet.add(added.map(function (n) { n._hidden = !self.visibleNodes.has(n.id); return self.drawNode(n); }));
      var newEdges = data.edges.filter(function (e) { return !self.edgeSet.get(e.id); });
      self.edgeSet.add(newEdges.map(function (e) { e._hidden = !self.visibleEdges.has(e.id); return self.drawEdge(e); }));
      self.typeToggles();
      self.legendMerge(data.legend);
      self.applyFilter();
      self.root.setAttribute("data-expanded", String(Number(self.root.getAttribute("data-expanded") || 0) + 1));
    })
    .catch(function () { self.status.textContent = "Could not expand that node."; });
}
