/* Graph view layout: start positions around the centre, so physics only has to relax them, a
 * sideways stretch of the settled layout to fit a wide screen, and a last pass that pushes apart
 * labels that still overlap (physics only keeps node bodies apart, not their labels).
 *
 * Its exports are methods of GraphPage (graph/page.js), called with `this` the page.
 */

import { LARGE, MIN_LABEL_PX, NODE_LABEL_SIZE } from "./common.js";

/* Start positions of large views: a radial tree around the centre, so physics only has to
 * relax it (a few dozen iterations instead of hundreds).
 * Breadth first from the centre, each node gets a slice of its parent's angle in proportion to
 * the nodes that hang below it, so branches stay together and edges rarely cross. Leaves (a
 * brigade's battalions, a program's targets) are fanned around their parent instead of being
 * pushed to an outer ring, which keeps a 2,000-node hierarchy compact and readable. Each ring is
 * placed far enough out that every node's slice has room for its fan; rings are ellipses as
 * wide as the canvas is. */
export function initialPositions() {
  if (!this.data.center || !this.nodes.has(this.data.center)) return;
  if (this.large) this.treePositions(); else this.ringPositions();
}

/* Small views: rings around the centre, each node near its parent's angle; the force layout
 * then has room to arrange them. */
export function ringPositions() {
  var rings = [];
  this.nodes.forEach(function (n) {
    if (typeof n.hop === "number") (rings[n.hop] = rings[n.hop] || []).push(n);
  });
  if (!rings[0]) return;
  var angle = new Map();
  var adjacency = this.around();
  var aspect = Math.min(2.2, Math.max(1, (this.canvas.clientWidth || 4) / (this.canvas.clientHeight || 3)));
  rings[0].forEach(function (n) { n.x = 0; n.y = 0; angle.set(n.id, 0); });
  for (var hop = 1; hop < rings.length; hop++) {
    var ring = rings[hop] || [];
    ring.forEach(function (n) {
      var parent = (adjacency.get(n.id) || []).map(function (e) { return e.from === n.id ? e.to : e.from; })
        .find(function (id) { return angle.has(id); });
      n._parentAngle = parent !== undefined ? angle.get(parent) : 0;
    });
    ring.sort(function (a, b) { return a._parentAngle - b._parentAngle; });
    var radius = 160 * hop + Math.sqrt(ring.length) * 30;
    ring.forEach(function (n, i) {
      var a = (2 * Math.PI * i) / Math.max(ring.length, 1);
      angle.set(n.id, a);
      n.x = Math.round(radius * aspect * Math.cos(a));
      n.y = Math.round(radius * Math.sin(a));
    });
  }
}

export function treePositions() {
  var center = this.data.center;
  var adjacency = this.around();
  var parent = new Map([[center, null]]);
  var children = new Map();
  var order = [center];
  var hop = new Map([[center, 0]]);
  for (var i = 0; i < order.length; i++) {
    var id = order[i];
    (adjacency.get(id) || []).forEach(function (e) {
      var other = e.from === id ? e.to : e.from;
      if (parent.has(other)) return;
      parent.set(other, id);
      hop.set(other, hop.get(id) + 1);
      if (!children.has(id)) children.set(id, []);
      children.get(id).push(other);
      order.push(other);
    });
  }
  var spacing = this.large ? 22 : 60;
  var isLeaf = function (id) { return id !== center && !children.has(id); };
  var fanRadius = new Map();
  var weight = new Map();
  for (var j = order.length - 1; j >= 0; j--) {
    var node = order[j];
    var kids = children.get(node) || [];
    var leaves = kids.filter(isLeaf).length;
    fanRadius.set(node, leaves ? Math.max(spacing * 1.6, (leaves * spacing) / (2 * Math.PI * 0.8)) : 0);
    var sum = 1;
    kids.forEach(function (c) { if (!isLeaf(c)) sum += weight.get(c); });
    weight.set(node, sum + leaves * 0.5);
  }
  // Slices of angle, from the centre outwards (leaves are placed with their parent).
  var span = new Map([[center, [0, 2 * Math.PI]]]);
  order.forEach(function (id) {
    var range = span.get(id);
    if (!range) return;
    var branches = (children.get(id) || []).filter(function (c) { return !isLeaf(c); });
    var total = branches.reduce(function (acc, c) { return acc + weight.get(c); }, 0);
    var at = range[0];
    branches.forEach(function (c) {
      var width = ((range[1] - range[0]) * weight.get(c)) / total;
      span.set(c, [at, at + width]);
      at += width;
    });
  });
  // Ring radii: each node's arc must hold its fan of leaves.
  var radius = [0];
  var step = this.large ? 120 : 200;
  order.forEach(function (id) {
    if (isLeaf(id)) return;
    var h = hop.get(id);
    var range = span.get(id);
    var need = h === 0 ? 0 : (2 * fanRadius.get(id) + spacing) / Math.max(range[1] - range[0], 1e-3);
    var before = h === 0 ? 0 : (radius[h - 1] || 0) + step + (fanRadius.get(order[0]) && h === 1 ? fanRadius.get(order[0]) : 0);
    radius[h] = Math.max(radius[h] || 0, before, need);
  });
  for (var h = 1; h < radius.length; h++) radius[h] = Math.max(radius[h] || 0, radius[h - 1] + step);
  var aspect = Math.min(2, Math.max(1, (this.canvas.clientWidth || 4) / (this.canvas.clientHeight || 3)));
  var self = this;
  var angle = new Map();
  order.forEach(function (id) {
    if (isLeaf(id)) return;
    var range = span.get(id);
    var a = (range[0] + range[1]) / 2;
    var r = radius[hop.get(id)];
    var n = self.nodes.get(id);
    n.x = Math.round(r * aspect * Math.cos(a));
    n.y = Math.round(r * Math.sin(a));
    angle.set(id, a);
  });
  order.forEach(function (id) {
    var leaves = (children.get(id) || []).filter(isLeaf);
    if (!leaves.length) return;
    var origin = self.nodes.get(id);
    var out = id === center ? 0 : angle.get(id);
    var arc = id === center ? 2 * Math.PI : 2 * Math.PI * 0.8;
    var fan = id === center ? Math.max(fanRadius.get(id), step) : fanRadius.get(id);
    leaves.forEach(function (leaf, k) {
      var a = out - arc / 2 + (arc * (k + 0.5)) / leaves.length;
      var n = self.nodes.get(leaf);
      n.x = Math.round(origin.x + fan * Math.cos(a));
      n.y = Math.round(origin.y + fan * Math.sin(a));
    });
  });
}

/* Force layouts come out round; a laptop screen is wide. Stretch the settled layout sideways
 * (at most 1.8 times) so it uses the canvas, then fit it. */
export function stretch() {
  var positions = this.network.getPositions();
  var ids = Object.keys(positions);
  if (ids.length < 3) return;
  var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  ids.forEach(function (id) {
    var p = positions[id];
    minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x); minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
  });
  var width = Math.max(maxX - minX, 1), height = Math.max(maxY - minY, 1);
  var canvasAspect = (this.canvas.clientWidth || 4) / (this.canvas.clientHeight || 3);
  var factor = Math.min(1.8, canvasAspect / (width / height));
  if (factor <= 1.05) return;
  var cx = (minX + maxX) / 2;
  var network = this.network;
  ids.forEach(function (id) { network.moveNode(id, cx + (positions[id].x - cx) * factor, positions[id].y); });
  network.fit({ animation: false });
}

/* Push apart the shown nodes whose boxes (shape and label, as vis-network draws them) overlap,
 * each time along the axis that needs the smaller move, until none overlap. The centre stays put
 * so the view keeps its anchor. Pairwise, so only for views below LARGE nodes. */
export function declutter() {
  var network = this.network;
  var ids = Array.from(this.visibleNodes);
  if (ids.length < 2 || ids.length > LARGE) return;
  network.redraw();  // boxes are measured when drawn: after stretch() they would be stale
  var positions = network.getPositions(ids);
  var gap = 4;
  var center = this.data.center;
  var items = ids.map(function (id) {
    var box = network.getBoundingBox(id);
    var p = positions[id];
    return {
      id: id, x: p.x, y: p.y, fixed: id === center, moved: false,
      ox: (box.left + box.right) / 2 - p.x, oy: (box.top + box.bottom) / 2 - p.y,
      hw: (box.right - box.left) / 2 + gap / 2, hh: (box.bottom - box.top) / 2 + gap / 2,
    };
  });
  for (var round = 0; round < 400; round++) {
    var overlaps = 0;
    for (var i = 0; i < items.length; i++) {
      var a = items[i];
      for (var j = i + 1; j < items.length; j++) {
        var b = items[j];
        var dx = b.x + b.ox - (a.x + a.ox), dy = b.y + b.oy - (a.y + a.oy);
        var px = a.hw + b.hw - Math.abs(dx), py = a.hh + b.hh - Math.abs(dy);
        if (px <= 0 || py <= 0) continue;
        overlaps++;
        var share = a.fixed ? 0 : b.fixed ? 1 : 0.5;
        if (px < py) {
          var sx = (dx >= 0 ? 1 : -1) * (px + 0.5);
          a.x -= sx * share; b.x += sx * (1 - share);
        } else {
          var sy = (dy >= 0 ? 1 : -1) * (py + 0.5);
          a.y -= sy * share; b.y += sy * (1 - share);
        }
        a.moved = b.moved = true;
      }
    }
    if (!overlaps) break;
  }
  items.forEach(function (it) { if (it.moved) network.moveNode(it.id, it.x, it.y); });
  network.redraw();
}

/* Fit the view to the canvas, but never so far out that node labels drop below MIN_LABEL_PX on
 * screen: a view too big for that opens on its centre at the smallest readable zoom. */
export function fitReadable() {
  var network = this.network;
  network.fit({ animation: false });
  var least = MIN_LABEL_PX / NODE_LABEL_SIZE;
  if (network.getScale() >= least) return;
  var center = this.data.center;
  var at = center && this.visibleNodes.has(center) ? network.getPositions([center])[center] : network.getViewPosition();
  network.moveTo({ position: at, scale: least, animation: false });
}
