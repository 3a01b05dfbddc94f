/* Graph view: one GraphPage per [data-graph] element draws the view's JSON with the local
 * vis-network. Physics runs only until the layout settles, then it is switched off and labels
 * that still overlap are pushed apart (layout.js). Edge labels show on hover only; above a few
 * hundred nodes smooth curves are dropped. Layout, filters, the details panel, expansion and the
 * vetting overlay live in their own modules, attached as methods here.
 */

import { clear, day, decode, el } from "../shared.js";
import { LARGE, EDGE_LABEL_SIZE, NODE_LABEL_SIZE, mark } from "./common.js";
import * as details from "./details.js";
import * as expansion from "./expansion.js";
import * as filters from "./filters.js";
import * as layout from "./layout.js";
import * as vettingOverlay from "./vetting_overlay.js";

export function GraphPage(root) {
  this.root = root;
  this.data = JSON.parse(document.getElementById(root.getAttribute("data-source")).textContent);
  this.canvas = root.querySelector(".graph-canvas");
  this.status = root.querySelector("[data-role=status]");
  this.panel = root.querySelector("[data-role=details]");
  this.day = this.data.at || null;
  this.nodes = new Map();
  this.edges = new Map();
  this.roots = new Map();
  this.visibleNodes = new Set();
  this.visibleEdges = new Set();
  this.typesOn = new Set();
  this.knownTypes = new Map();
  this.large = this.data.nodes.length > LARGE;
  this.ready = false;
  this.start();
}

GraphPage.prototype.start = function () {
  var self = this;
  var data = this.data;
  mark("actorgraph-graph-start");
  this.merge(data, null);
  if (data.center) this.roots.set(data.center, data.depth || 1);
  var selected = data.types ? new Set(data.types) : null;
  data.relationTypes.forEach(function (t) {
    if (!selected || selected.has(t.type)) self.typesOn.add(t.type);
  });
  this.initialPositions();
  this.nodeSet = new vis.DataSet();
  this.edgeSet = new vis.DataSet();
  this.computeVisibility();
  this.nodeSet.add(Array.from(this.nodes.values()).map(function (n) { return self.drawNode(n); }));
  this.edgeSet.add(Array.from(this.edges.values()).map(function (e) { return self.drawEdge(e); }));
  mark("actorgraph-graph-data");
  this.network = new vis.Network(this.canvas, { nodes: this.nodeSet, edges: this.edgeSet }, this.options());
  mark("actorgraph-graph-created");
  this.network.on("startStabilizing", function () { mark("actorgraph-stabilizing"); });
  this.network.on("stabilizationIterationsDone", function () { self.settled(); });
  this.network.once("stabilized", function () { self.settled(); });
  // A click opens the details panel a moment later, unless it was the first half of a
  // double-click: the panel floats over the canvas and would catch the second click.
  this.network.on("click", function (params) {
    clearTimeout(self._clickTimer);
    if (!params.nodes.length) return;
    var id = params.nodes[0];
    self._clickTimer = setTimeout(function () { self.showDetails(id); }, 320);
  });
  this.network.on("doubleClick", function (params) {
    clearTimeout(self._clickTimer);
    if (params.nodes.length) self.expand(params.nodes[0]);
  });
  this.controls();
  this.legend();
  this.report();
  if (data.vettingUrl) this.loadVetting();
  document.addEventListener("actorgraph:key", function () { if (data.vettingUrl) self.loadVetting(); });
};

GraphPage.prototype.options = function () {
  var large = this.large;
  var count = this.nodes.size;
  // Edge labels are laid out but transparent; hovering an edge or selecting one of its nodes
  // paints them (chosen.label), and every edge keeps its tooltip.
  var labelInk = "#3a4452";
  return {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    physics: {
      enabled: true,
      solver: large ? "barnesHut" : "forceAtlas2Based",
      barnesHut: { gravitationalConstant: -2500, centralGravity: 0.02, springLength: 60, springConstant: 0.02, damping: 0.5, avoidOverlap: 0.1 },
      forceAtlas2Based: { gravitationalConstant: count < 30 ? -120 : -80, centralGravity: 0.01, springLength: count < 30 ? 200 : 130, springConstant: 0.05, damping: 0.4, avoidOverlap: 0 },
      // A large view starts from tree positions (layout.js) and needs only a few dozen rounds to
      // relax; capping them keeps a 2,000-node view interactive within seconds.
      stabilization: { enabled: true, iterations: count > 1000 ? 40 : large ? 100 : 600, updateInterval: 20, fit: true },
      minVelocity: large ? 1.5 : 0.4,
    },
    interaction: {
      hover: true,
      tooltipDelay: 120,
      hideEdgesOnDrag: large,
      hideEdgesOnZoom: large,
      multiselect: false,
      navigationButtons: false,
      keyboard: false,  // with it vis-network focuses the canvas on click, which scrolls a half-visible canvas under the pointer
    },
    nodes: { size: large ? 10 : 16, borderWidth: 1, font: { size: large ? 10 : NODE_LABEL_SIZE, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: {
      width: 1.2,
      smooth: large ? false : { enabled: true, type: "continuous", roundness: 0.3 },
      font: { size: EDGE_LABEL_SIZE, align: "middle", color: "rgba(0,0,0,0)", strokeWidth: 0, strokeColor: "#ffffff", face: "system-ui, sans-serif" },
      chosen: {
        label: function (values, id, selected, hovering) {
          if (selected || hovering) { values.color = labelInk; values.strokeWidth = 3; }
        },
        edge: function (values, id, selected, hovering) { if (selected || hovering) values.width = 2.2; },
      },
      arrows: { to: { enabled: true, scaleFactor: 0.5 } },
    },
  };
};

/* Node and edge records as the server sent them (strings still escaped), by id. */
GraphPage.prototype.merge = function (data, around) {
  var self = this;
  var added = [];
  data.nodes.forEach(function (n) {
    if (!self.nodes.has(n.id)) { self.nodes.set(n.id, n); added.push(n); }
  });
  data.edges.forEach(function (e) {
    if (!self.edges.has(e.id)) self.edges.set(e.id, e);
  });
  data.relationTypes.forEach(function (t) {
    if (!self.knownTypes.has(t.type)) {
      self.knownTypes.set(t.type, t);
      if (self.ready) self.typesOn.add(t.type);
    }
  });
  this.adjacency = null;
  return added;
};

GraphPage.prototype.around = function () {
  if (this.adjacency) return this.adjacency;
  var adjacency = new Map();
  this.edges.forEach(function (e) {
    if (!adjacency.has(e.from)) adjacency.set(e.from, []);
    if (!adjacency.has(e.to)) adjacency.set(e.to, []);
    adjacency.get(e.from).push(e);
    adjacency.get(e.to).push(e);
  });
  this.adjacency = adjacency;
  return adjacency;
};

GraphPage.prototype.drawNode = function (n) {
  var node = {
    id: n.id,
    label: decode(n.label),
    title: decode(n.title),
    shape: n.shape,
    color: n.color,
    hidden: !this.visibleNodes.has(n.id),
    // Hidden nodes (another date, another type) stay out of the layout, so what is shown is
    // laid out as if alone; revealed later, they appear where they started.
    physics: this.visibleNodes.has(n.id),
  };
  if (n.font) node.font = n.font;
  if (n.id === this.data.center) { node.size = this.large ? 18 : 26; node.borderWidth = 3; node.font = Object.assign({}, n.font || {}, { size: this.large ? 14 : 17, bold: true }); }
  if (typeof n.x === "number") { node.x = n.x; node.y = n.y; }
  if (n._outcomeColor) node.color = n._outcomeColor;
  return node;
};

GraphPage.prototype.drawEdge = function (e) {
  var edge = {
    id: e.id,
    from: e.from,
    to: e.to,
    label: decode(e.label),
    title: decode(e.title),
    dashes: !!e.dashes,
    arrows: e.arrows ? { to: { enabled: true, scaleFactor: 0.5 } } : { to: { enabled: false } },
    color: { color: e.color, highlight: "#1d2430", hover: "#1d2430" },
    hidden: !this.visibleEdges.has(e.id),
    physics: this.visibleEdges.has(e.id),
  };
  if (!this.large) edge.length = this.springLength(e);
  return edge;
};

/* Springs lengthen with the busier end's degree: a hub's neighbours need a wider ring to hold
 * their labels side by side (a 24-partner program), while a chain stays compact. */
GraphPage.prototype.springLength = function (e) {
  var adjacency = this.around();
  var degree = Math.max((adjacency.get(e.from) || []).length, (adjacency.get(e.to) || []).length);
  return Math.round(90 + 28 * Math.sqrt(degree));
};

GraphPage.prototype.settled = function () {
  if (this.ready) return;
  this.ready = true;
  this.network.setOptions({ physics: { enabled: false } });
  if (!this.large) { this.stretch(); this.declutter(); this.fitReadable(); }
  var self = this;
  this.nodes.forEach(function (n, id) { n._hidden = !self.visibleNodes.has(id); });
  this.edges.forEach(function (e, id) { e._hidden = !self.visibleEdges.has(id); });
  this.root.setAttribute("data-state", "ready");
  mark("actorgraph-graph-ready");
  this.report();
};

GraphPage.prototype.report = function () {
  if (!this.status) return;
  var text = this.visibleNodes.size + " nodes and " + this.visibleEdges.size + " relations shown";
  if (this.day) text += " at " + day(this.day);
  if (this.nodes.size !== this.visibleNodes.size) text += " (" + this.nodes.size + " loaded)";
  this.status.textContent = text + (this.ready ? "" : " — laying out…");
  this.root.setAttribute("data-visible-nodes", String(this.visibleNodes.size));
  this.root.setAttribute("data-visible-edges", String(this.visibleEdges.size));
};

GraphPage.prototype.legend = function () {
  var box = this.root.querySelector("[data-role=legend]");
  if (!box) return;
  clear(box);
  this.data.legend.forEach(function (item) {
    var swatch = el("span", { class: "swatch shape-" + item.shape, style: "--swatch:" + (/^#[0-9a-f]{6}$/i.test(item.color) ? item.color : "#888") });
    box.appendChild(el("li", { "data-key": item.key }, swatch, " " + decode(item.label)));
  });
  var line = el("li", {}, el("span", { class: "swatch line" }), " established / confident link");
  var dashed = el("li", {}, el("span", { class: "swatch line dashed" }), " alleged or low-confidence link");
  box.appendChild(line);
  box.appendChild(dashed);
};

GraphPage.prototype.legendMerge = function (items) {
  var keys = new Set(this.data.legend.map(function (i) { return i.key; }));
  var grew = false;
  var self = this;
  items.forEach(function (i) { if (!keys.has(i.key)) { self.data.legend.push(i); grew = true; } });
  if (grew) this.legend();
};

[layout, filters, details, expansion, vettingOverlay].forEach(function (methods) { Object.assign(GraphPage.prototype, methods); });
