/* Graph views: draws a view's JSON with the local vis-network, and wires the controls.
 *
 * - hover: a node's name and type (vis-network shows `title` as plain text);
 * - click: the details panel (fetched from /view/data/node/...), written with textContent;
 * - double-click: expands the node's neighbours in place (/view/data/network/...);
 * - date and relation-type controls: filter on the client when the page holds every relation,
 *   with the same rule as graph.tracing.links (a relation is valid at D when it has no start or starts on
 *   or before D, and has no end or ends on or after D; what is reachable from the centre within
 *   the depth over valid relations is shown), or refetch when the server had to cut the view.
 *
 * Large views stay usable: physics runs only until the layout settles, then it is switched off;
 * above a few hundred nodes edge labels and smooth curves are dropped and the start positions are
 * rings around the centre, so the layout settles in few iterations.
 */
(function () {
  "use strict";

  var AG = window.ActorGraph;
  var decode = AG.decode;
  var el = AG.el;
  var LARGE = 300;
  var EDGE_LABELS_UP_TO = 30;
  var EDGE_LABEL_SIZE = 11;

  /* Performance marks for bench/views.py: start, data ready, network created, ready. */
  function mark(name) {
    if (window.performance && performance.mark) performance.mark(name);
  }

  function pathId(iri) {
    return encodeURIComponent(iri);
  }

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

  function GraphPage(root) {
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
    this._labelled = this.visibleEdges.size <= EDGE_LABELS_UP_TO;
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
    // Edge labels (type and dates) are drawn while few edges are shown (see labelEdges); in
    // denser views they show for the edges of the selected or hovered node, and every edge
    // keeps its tooltip.
    var labelled = this.visibleEdges.size <= EDGE_LABELS_UP_TO;
    var labelSize = EDGE_LABEL_SIZE;
    return {
      autoResize: true,
      layout: { improvedLayout: false, randomSeed: 7 },
      physics: {
        enabled: true,
        solver: large ? "barnesHut" : "forceAtlas2Based",
        barnesHut: { gravitationalConstant: -2500, centralGravity: 0.02, springLength: 60, springConstant: 0.02, damping: 0.5, avoidOverlap: 0.1 },
        forceAtlas2Based: { gravitationalConstant: count < 30 ? -120 : -80, centralGravity: 0.01, springLength: count < 30 ? 200 : 130, springConstant: 0.05, damping: 0.4, avoidOverlap: 0 },
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
      nodes: { size: large ? 10 : 16, borderWidth: 1, font: { size: large ? 10 : 16, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" } },
      edges: {
        width: 1.2,
        smooth: large ? false : { enabled: true, type: "continuous", roundness: 0.3 },
        font: { size: labelled ? labelSize : 0, align: "middle", color: "#3a4452", strokeWidth: 3, strokeColor: "#ffffff", face: "system-ui, sans-serif" },
        chosen: {
          label: function (values, id, selected, hovering) { if (selected || hovering) values.size = labelSize; },
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

  /* Start positions of large views: a radial tree around the centre, so physics only has to
   * relax it (a few dozen iterations instead of hundreds).
   * Breadth first from the centre, each node gets a slice of its parent's angle in proportion to
   * the nodes that hang below it, so branches stay together and edges rarely cross. Leaves (a
   * brigade's battalions, a program's targets) are fanned around their parent instead of being
   * pushed to an outer ring, which keeps a 2,000-node hierarchy compact and readable. Each ring is
   * placed far enough out that every node's slice has room for its fan; rings are ellipses as
   * wide as the canvas is. */
  GraphPage.prototype.initialPositions = function () {
    if (!this.data.center || !this.nodes.has(this.data.center)) return;
    if (this.large) this.treePositions(); else this.ringPositions();
  };

  /* Small views: rings around the centre, each node near its parent's angle; the force layout
   * then has room to arrange them. */
  GraphPage.prototype.ringPositions = function () {
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
  };

  GraphPage.prototype.treePositions = function () {
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
    return {
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
  };

  GraphPage.prototype.edgeOk = function (e) {
    return this.typesOn.has(e.type) && validAt(e, this.day);
  };

  /* Which nodes and edges are shown for the current date and types. */
  GraphPage.prototype.computeVisibility = function () {
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
  };

  GraphPage.prototype.applyFilter = function () {
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
    this.labelEdges();
    this.report();
  };

  /* Draw edge labels only while few edges are shown: moving the date can thin a view out. */
  GraphPage.prototype.labelEdges = function () {
    if (this.large || !this.network) return;
    var wanted = this.visibleEdges.size <= EDGE_LABELS_UP_TO;
    if (wanted === this._labelled) return;
    this._labelled = wanted;
    this.network.setOptions({ edges: { font: { size: wanted ? EDGE_LABEL_SIZE : 0 } } });
  };

  GraphPage.prototype.settled = function () {
    if (this.ready) return;
    this.ready = true;
    this.network.setOptions({ physics: { enabled: false } });
    if (!this.large) this.stretch();
    var self = this;
    this.nodes.forEach(function (n, id) { n._hidden = !self.visibleNodes.has(id); });
    this.edges.forEach(function (e, id) { e._hidden = !self.visibleEdges.has(id); });
    this.root.setAttribute("data-state", "ready");
    mark("actorgraph-graph-ready");
    this.report();
  };

  /* Force layouts come out round; a laptop screen is wide. Stretch the settled layout sideways
   * (at most 1.8 times) so it uses the canvas, then fit it. */
  GraphPage.prototype.stretch = function () {
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
  };

  GraphPage.prototype.report = function () {
    if (!this.status) return;
    var text = this.visibleNodes.size + " nodes and " + this.visibleEdges.size + " relations shown";
    if (this.day) text += " at " + this.day;
    if (this.nodes.size !== this.visibleNodes.size) text += " (" + this.nodes.size + " loaded)";
    this.status.textContent = text + (this.ready ? "" : " — laying out…");
    this.root.setAttribute("data-visible-nodes", String(this.visibleNodes.size));
    this.root.setAttribute("data-visible-edges", String(this.visibleEdges.size));
  };

  /* Controls: date field and slider, relation-type toggles, depth (a new page), reset. */
  GraphPage.prototype.controls = function () {
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
  };

  GraphPage.prototype.typeToggles = function () {
    var self = this;
    var box = this.root.querySelector("[data-role=types]");
    if (!box) return;
    AG.clear(box);
    this.knownTypes.forEach(function (t) {
      var input = el("input", { type: "checkbox", value: decode(t.type), "data-type": t.type });
      input.checked = self.typesOn.has(t.type);
      input.addEventListener("change", function () {
        if (input.checked) self.typesOn.add(t.type); else self.typesOn.delete(t.type);
        if (self.data.filterMode === "server") self.refetch(); else self.applyFilter();
      });
      box.appendChild(el("label", { class: "toggle" }, input, " " + decode(t.label) + " ", el("span", { class: "count" }, String(t.count))));
    });
  };

  GraphPage.prototype.setDay = function (day) {
    this.day = day;
    this.keepInUrl();
    if (this.data.filterMode === "server") { this.refetchSoon(); return; }
    this.applyFilter();
  };

  GraphPage.prototype.keepInUrl = function () {
    if (!window.history || !history.replaceState) return;
    var url = new URL(window.location.href);
    if (this.day) url.searchParams.set("at", this.day); else url.searchParams.delete("at");
    history.replaceState(null, "", url.toString());
  };

  GraphPage.prototype.refetchSoon = function () {
    var self = this;
    clearTimeout(this._timer);
    this._timer = setTimeout(function () { self.refetch(); }, 250);
  };

  /* Server mode: the view was cut at the node limit, so the server applies date and types. */
  GraphPage.prototype.refetch = function () {
    var self = this;
    var center = decode(this.data.center);
    var params = new URLSearchParams({ depth: String(this.data.depth || 1), limit: String(this.data.nodeLimit) });
    if (this.day) params.set("at", this.day);
    var types = Array.from(this.typesOn).map(decode);
    if (types.length && types.length < this.knownTypes.size) params.set("types", types.join(","));
    this.status.textContent = "Loading…";
    AG.authFetch("/view/data/network/" + pathId(center) + "?" + params.toString(), { headers: { Accept: "application/json" } })
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
  };

  GraphPage.prototype.legend = function () {
    var box = this.root.querySelector("[data-role=legend]");
    if (!box) return;
    AG.clear(box);
    this.data.legend.forEach(function (item) {
      var swatch = el("span", { class: "swatch shape-" + item.shape, style: "--swatch:" + (/^#[0-9a-f]{6}$/i.test(item.color) ? item.color : "#888") });
      box.appendChild(el("li", { "data-key": item.key }, swatch, " " + decode(item.label)));
    });
    var line = el("li", {}, el("span", { class: "swatch line" }), " established / confident link");
    var dashed = el("li", {}, el("span", { class: "swatch line dashed" }), " alleged or low-confidence link");
    box.appendChild(line);
    box.appendChild(dashed);
  };

  /* The panel floats over the canvas's right side: slide the drawing left while it is open (and
   * back when it closes), so what was in the middle stays in view. */
  GraphPage.prototype.makeRoomForPanel = function (open) {
    if (!this.network || !this.panel) return;
    var width = open ? this.panel.offsetWidth : this._panelShift || 0;
    if (!width || this.panel.style.position === "static" || getComputedStyle(this.panel).position !== "absolute") return;
    this._panelShift = open ? width : 0;
    var canvasWidth = this.canvas.clientWidth || 1;
    var ratio = Math.max(0.4, (canvasWidth - width) / canvasWidth);
    var before = this.network.getScale();
    var scale = open ? before * ratio : before / ratio;
    var at = this.network.getViewPosition();
    var dx = open ? width / 2 / scale : -width / 2 / before;
    this.network.moveTo({ position: { x: at.x + dx, y: at.y }, scale: scale, animation: false });
  };

  /* Click: the details panel, from /view/data/node/..., written with textContent only. */
  GraphPage.prototype.showDetails = function (id) {
    var self = this;
    var panel = this.panel;
    if (!panel) return;
    var node = this.nodes.get(id);
    AG.clear(panel);
    panel.appendChild(el("h2", {}, decode(node ? node.label : id)));
    panel.appendChild(el("p", { class: "muted" }, "Loading…"));
    if (panel.hidden) { panel.hidden = false; this.makeRoomForPanel(true); }
    AG.authFetch("/view/data/node/" + pathId(decode(id)), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) return response.json().then(function (body) { throw new Error(body.detail || response.statusText); });
        return response.json();
      })
      .then(function (details) { self.renderDetails(details); })
      .catch(function (error) {
        AG.clear(panel);
        panel.appendChild(el("p", { class: "error" }, "Could not load the details: " + String(error.message || error)));
      });
  };

  GraphPage.prototype.renderDetails = function (d) {
    var panel = this.panel;
    AG.clear(panel);
    var close = el("button", { type: "button", class: "close", "aria-label": "Close the details" }, "×");
    var self = this;
    close.addEventListener("click", function () { panel.hidden = true; self.makeRoomForPanel(false); });
    panel.appendChild(close);
    panel.appendChild(el("h2", { "data-role": "details-title" }, decode(d.label)));
    var facts = el("p", { class: "muted" }, [d.types.map(decode).join(", "), decode(d.country), decode(d.location), decode(d.period)].filter(Boolean).join(" · "));
    panel.appendChild(facts);
    if (d.aliases.length) panel.appendChild(el("p", {}, el("strong", {}, "Also known as: "), d.aliases.map(decode).join("; ")));
    var links = el("p", { class: "links" });
    if (d.href) links.appendChild(el("a", { href: d.href }, "Open its page"));
    if (d.view) { links.appendChild(document.createTextNode(" · ")); links.appendChild(el("a", { href: d.view }, "Centre the view here")); }
    links.appendChild(document.createTextNode(" · double-click the node to expand it"));
    panel.appendChild(links);
    if (!d.groups.length) panel.appendChild(el("p", { class: "muted" }, "No recorded relations."));
    d.groups.forEach(function (group) {
      panel.appendChild(el("h3", {}, decode(group.label) + " (" + group.relations.length + ")"));
      var list = el("ul", { class: "relations" });
      group.relations.forEach(function (r) {
        var other = r.other.href ? el("a", { href: r.other.href }, decode(r.other.label)) : el("span", {}, decode(r.other.label));
        var item = el("li", {}, decode(r.role) + " → ", other, " (" + decode(r.otherRole) + ")");
        var meta = [decode(r.period) || "undated", r.confidence ? "confidence " + decode(r.confidence) : "", r.status ? decode(r.status) : ""].filter(Boolean);
        item.appendChild(el("div", { class: "muted" }, meta.join(" · ")));
        if (r.sources.length) {
          var sources = el("ul", { class: "sources" });
          r.sources.forEach(function (s) {
            var title = s.url ? el("a", { href: decode(s.url), rel: "noopener noreferrer", target: "_blank" }, decode(s.title)) : el("span", {}, decode(s.title));
            sources.appendChild(el("li", {}, title, [s.publisher ? " — " + decode(s.publisher) : "", s.year ? " (" + decode(s.year) + ")" : ""].join("")));
          });
          item.appendChild(sources);
        }
        list.appendChild(item);
      });
      panel.appendChild(list);
    });
  };

  /* Double-click: add the node's neighbours around it, without moving what is there. */
  GraphPage.prototype.expand = function (id) {
    var self = this;
    var node = this.nodes.get(id);
    if (!node) return;
    var params = new URLSearchParams({ depth: "1" });
    if (this.data.filterMode === "server" && this.day) params.set("at", this.day);
    AG.authFetch("/view/data/network/" + pathId(decode(id)) + "?" + params.toString(), { headers: { Accept: "application/json" } })
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
  };

  GraphPage.prototype.legendMerge = function (items) {
    var keys = new Set(this.data.legend.map(function (i) { return i.key; }));
    var grew = false;
    var self = this;
    items.forEach(function (i) { if (!keys.has(i.key)) { self.data.legend.push(i); grew = true; } });
    if (grew) this.legend();
  };

  /* Program views: colour partners by vetting outcome, if the caller may see the vetting. */
  GraphPage.prototype.loadVetting = function () {
    var self = this;
    var note = this.root.querySelector("[data-role=vetting-note]");
    AG.authFetch(this.data.vettingUrl, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) throw new Error("Vetting outcomes need an analyst's API key (set it at the top right).");
        if (response.status === 404) throw new Error("No vetting is available for this program.");
        if (!response.ok) throw new Error("The vetting could not be loaded (" + response.status + ").");
        return response.json();
      })
      .then(function (body) {
        var outcomes = window.ActorGraphVetting.outcomes(body);
        var colors = { clear: "#2e7d32", review: "#f9a825", flag: "#c62828" };
        var updates = [];
        var counted = { clear: 0, review: 0, flag: 0 };
        var grey = { background: "#c9d0da", border: "#8a94a3", highlight: { background: "#c9d0da", border: "#1d2430" } };
        self.nodes.forEach(function (n, id) {
          var outcome = outcomes.get(decode(id));
          if (!outcome || !colors[outcome]) {
            // Not vetted (the program itself keeps its colour): grey, so green only means clear.
            if (id !== self.data.center) { n._outcomeColor = grey; updates.push({ id: id, color: grey }); }
            return;
          }
          counted[outcome] += 1;
          n._outcomeColor = { background: colors[outcome], border: "#1d2430", highlight: { background: colors[outcome], border: "#000" } };
          n.outcome = outcome;
          updates.push({ id: id, color: n._outcomeColor, borderWidth: 3, title: decode(n.title) + "\nVetting: " + outcome });
        });
        if (updates.length) self.nodeSet.update(updates);
        self.root.setAttribute("data-vetting", "loaded");
        var legend = self.root.querySelector("[data-role=legend]");
        if (legend) legend.classList.add("by-outcome");
        if (note) note.textContent = "Partners coloured by vetting outcome: " + counted.clear + " clear, " + counted.review + " review, " + counted.flag + " flag. Shape still says what kind of actor each is.";
        self.legendMerge([
          { key: "outcome-clear", label: "Vetting: clear", color: colors.clear, shape: "dot" },
          { key: "outcome-review", label: "Vetting: review", color: colors.review, shape: "dot" },
          { key: "outcome-flag", label: "Vetting: flag", color: colors.flag, shape: "dot" },
          { key: "outcome-none", label: "Not vetted", color: "#c9d0da", shape: "dot" },
        ]);
      })
      .catch(function (error) {
        self.root.setAttribute("data-vetting", "unavailable");
        if (note) note.textContent = String(error.message || error);
      });
  };

  /* Reading a vetting answer: every object in it with a `subject` IRI and an `outcome` (clear,
   * review, flag) says how that subject came out, whatever the list around it is called. */
  window.ActorGraphVetting = {
    outcomes: function (body) {
      var found = new Map();
      (function walk(value) {
        if (Array.isArray(value)) { value.forEach(walk); return; }
        if (!value || typeof value !== "object") return;
        if (typeof value.subject === "string" && typeof value.outcome === "string") found.set(value.subject, value.outcome);
        Object.keys(value).forEach(function (k) { if (typeof value[k] === "object") walk(value[k]); });
      })(body);
      return found;
    },
  };

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
        if (canvas) { AG.clear(canvas); canvas.appendChild(el("p", { class: "error" }, "The graph could not be drawn: " + String(error.message || error))); }
      }
    });
  });
})();
