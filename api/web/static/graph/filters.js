/* Graph view filters: the date and relation-type controls. They filter on the client when the page
 * holds every relation, with the same rule as graph.tracing.links (a relation is valid at D when it
 * has no start or starts on or before D, and has no end or ends on or after D; what is reachable
 * from the centre within the depth over valid relations is shown), or refetch when the server had
 * to cut the view.
 *
 * Its exports are methods of GraphPage (graph/page.js), called with `this` the page.
 */

import { authFetch, clear, decode, el } from "../shared.js";
import { pathId } from "./common.js";

function validAt(edge, day) {
  if (!day) return true;
  return (!edge.start || edge.start <= day) && (!edge.end || edge.end >= day);
}

function dayToNumber(day) {
  return Math.round(Date.parse(day + "T00:00:00Z") / 86400000);
}

function numberToDay(n) {
  return new Date(n * 86400000).toISOString().slice(0, 10);
}

export function edgeOk(e) {
  return this.typesOn.has(e.type) && validAt(e, this.day);
}

/* Which nodes and edges are shown for the current date and types. */
export function computeVisibility() {
  var self = this;
  var nodes = new Set();
  var edges = new Set();
  if (this.data.filterMode === "server") {
    this.nodes.forEach(function (n, id) { nodes.add(id); });
    this.edges.forEach(function (e, id) { if (self.typesOn.has(e.type)) edges.add(id); });
  } else if (this.roots.size) {
    // Budgets: how many more relations may be followed from a node (depth from the centre, one
    // from an expanded node). Nodes are settled from the largest budget down, like a BFS.
    var budget = new Map();
    var adjacency = this.around();
    var buckets = [];
    this.roots.forEach(function (b, id) {
      if (!self.nodes.has(id)) return;
      budget.set(id, Math.max(b, budget.has(id) ? budget.get(id) : -1));
    });
    budget.forEach(function (b, id) { (buckets[b] = buckets[b] || []).push(id); });
    for (var b = buckets.length - 1; b >= 1; b--) {
      (buckets[b] || []).forEach(function (id) {
        if (budget.get(id) !== b) return;
        (adjacency.get(id) || []).forEach(function (e) {
          if (!self.edgeOk(e)) return;
          var other = e.from === id ? e.to : e.from;
          if (!budget.has(other) || budget.get(other) < b - 1) {
            budget.set(other, b - 1);
            (buckets[b - 1] = buckets[b - 1] || []).push(other);
          }
        });
      });
    }
    budget.forEach(function (b, id) { nodes.add(id); });
    this.edges.forEach(function (e, id) {
      if (!self.edgeOk(e) || !budget.has(e.from) || !budget.has(e.to)) return;
      if (Math.max(budget.get(e.from), budget.get(e.to)) >= 1) edges.add(id);
    });
  } else {
    var pinned = new Set(this.data.pinned || []);
    this.edges.forEach(function (e, id) {
      if (self.edgeOk(e)) { edges.add(id); nodes.add(e.from); nodes.add(e.to); }
    });
    pinned.forEach(function (id) { if (self.nodes.has(id)) nodes.add(id); });
  }
  this.visibleNodes = nodes;
  this.visibleEdges = edges;
}

export function applyFilter() {
  var self = this;
  this.computeVisibility();
  var nodeUpdates = [];
  this.nodes.forEach(function (n, id) {
    var hidden = !self.visibleNodes.has(id);
    if (n._hidden !== hidden) { n._hidden = hidden; nodeUpdates.push({ id: id, hidden: hidden }); }
  });
  var edgeUpdates = [];
  this.edges.forEach(function (e, id) {
    var hidden = !self.visibleEdges.has(id);
    if (e._hidden !== hidden) { e._hidden = hidden; edgeUpdates.push({ id: id, hidden: hidden }); }
  });
  if (nodeUpdates.length) this.nodeSet.update(nodeUpdates);
  if (edgeUpdates.length) this.edgeSet.update(edgeUpdates);
  if (this.ready && nodeUpdates.length) this.declutter();  // revealed nodes come back where they started
  this.report();
}

/* Controls: date field and slider, relation-type toggles, depth (a new page), reset. */
export function controls() {
  var self = this;
  var form = this.root.querySelector("[data-role=controls]");
  if (!form) return;
  var dateInput = form.querySelector("input[name=at]");
  var slider = form.querySelector("input[data-role=slider]");
  var allDates = form.querySelector("button[data-role=all-dates]");
  var range = this.data.dateRange;
  if (slider && range) {
    var min = dayToNumber(range[0]);
    var max = Math.max(dayToNumber(range[1]), dayToNumber(new Date().toISOString().slice(0, 10)));
    slider.min = String(min);
    slider.max = String(max);
    slider.value = String(this.day ? dayToNumber(this.day) : max);
    slider.disabled = false;
    slider.addEventListener("input", function () {
      var day = numberToDay(Number(slider.value));
      dateInput.value = day;
      self.setDay(day);
    });
  } else if (slider) {
    slider.disabled = true;
  }
  if (dateInput) {
    dateInput.value = this.day || "";
    dateInput.addEventListener("change", function () {
      var day = /^\d{4}-\d{2}-\d{2}$/.test(dateInput.value) ? dateInput.value : null;
      if (slider && day && range) slider.value = String(dayToNumber(day));
      self.setDay(day);
    });
  }
  if (allDates) allDates.addEventListener("click", function () {
    if (dateInput) dateInput.value = "";
    if (slider && range) slider.value = slider.max;
    self.setDay(null);
  });
  form.addEventListener("submit", function (event) {
    // Depth (and the date, for bookmarking) go into a new page; the rest is live.
    if (!form.querySelector("select[name=depth]")) event.preventDefault();
  });
  var depth = form.querySelector("select[name=depth]");
  if (depth) depth.addEventListener("change", function () { form.submit(); });
  this.typeToggles();
  this.exportLinks();
}

/* Download links: the file is the network at the date and of the relation types shown. */
export function exportLinks() {
  var self = this;
  this.root.querySelectorAll("[data-role=exports] a[data-format]").forEach(function (link) {
    link.addEventListener("click", function () {
      var url = new URL(link.getAttribute("href"), window.location.href);
      if (self.day) url.searchParams.set("at", self.day); else url.searchParams.delete("at");
      var types = Array.from(self.typesOn).map(decode);
      if (types.length && types.length < self.knownTypes.size) url.searchParams.set("types", types.join(","));
      else url.searchParams.delete("types");
      link.href = url.pathname + url.search;
    });
  });
}

export function typeToggles() {
  var self = this;
  var box = this.root.querySelector("[data-role=types]");
  if (!box) return;
  clear(box);
  this.knownTypes.forEach(function (t) {
    var input = el("input", { type: "checkbox", value: decode(t.type), "data-type": t.type });
    input.checked = self.typesOn.has(t.type);
    input.addEventListener("change", function () {
      if (input.checked) self.typesOn.add(t.type); else self.typesOn.delete(t.type);
      if (self.data.filterMode === "server") self.refetch(); else self.applyFilter();
    });
    box.appendChild(el("label", { class: "toggle" }, input, " " + decode(t.label) + " ", el("span", { class: "count" }, String(t.count))));
  });
}

export function setDay(day) {
  this.day = day;
  this.keepInUrl();
  if (this.data.filterMode === "server") { this.refetchSoon(); return; }
  this.applyFilter();
}

export function keepInUrl() {
  if (!window.history || !history.replaceState) return;
  var url = new URL(window.location.href);
  if (this.day) url.searchParams.set("at", this.day); else url.searchParams.delete("at");
  history.replaceState(null, "", url.toString());
}

export function refetchSoon() {
  var self = this;
  clearTimeout(this._timer);
  this._timer = setTimeout(function () { self.refetch(); }, 250);
}

/* Server mode: the view was cut at the node limit, so the server applies date and types. */
export function refetch() {
  var self = this;
  var center = decode(this.data.center);
  var params = new URLSearchParams({ depth: String(this.data.depth || 1), limit: String(this.data.nodeLimit) });
  if (this.day) params.set("at", this.day);
  var types = Array.from(this.typesOn).map(decode);
  if (types.length && types.length < this.knownTypes.size) params.set("types", types.join(","));
  this.status.textContent = "Loading…";
  authFetch("/view/data/network/" + pathId(center) + "?" + params.toString(), { headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
    .then(function (data) {
      self.nodes.clear(); self.edges.clear(); self.adjacency = null;
      data.nodes.forEach(function (n) { self.nodes.set(n.id, n); });
      data.edges.forEach(function (e) { self.edges.set(e.id, e); });
      self.data.nodes = data.nodes; self.data.edges = data.edges;
      self.initialPositions();
      self.computeVisibility();
      self.nodeSet.clear(); self.edgeSet.clear();
      self.nodeSet.add(data.nodes.map(function (n) { return self.drawNode(n); }));
      self.edgeSet.add(data.edges.map(function (e) { return self.drawEdge(e); }));
      self.report();
    })
    .catch(function () { self.status.textContent = "Could not load the network for that date."; });
}
