/* Graph view details panel: a click shows the node's facts, relations and sources, fetched from
 * /view/data/node/... and written with textContent only.
 *
 * Its exports are methods of GraphPage (graph/page.js), called with `this` the page.
 */

import { authFetch, clear, decode, el } from "../shared.js";
import { pathId } from "./common.js";

/* The panel floats over the canvas's right side: slide the drawing left while it is open (and
 * back when it closes), so what was in the middle stays in view. */
export function makeRoomForPanel(open) {
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
}

/* Click: the details panel, from /view/data/node/..., written with textContent only. */
export function showDetails(id) {
  var self = this;
  var panel = this.panel;
  if (!panel) return;
  var node = this.nodes.get(id);
  clear(panel);
  panel.appendChild(el("h2", {}, decode(node ? node.label : id)));
  panel.appendChild(el("p", { class: "muted" }, "Loading…"));
  if (panel.hidden) { panel.hidden = false; this.makeRoomForPanel(true); }
  authFetch("/view/data/node/" + pathId(decode(id)), { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) return response.json().then(function (body) { throw new Error(body.detail || response.statusText); });
      return response.json();
    })
    .then(function (details) { self.renderDetails(details); })
    .catch(function (error) {
      clear(panel);
      panel.appendChild(el("p", { class: "error" }, "Could not load the details: " + String(error.message || error)));
    });
}

export function renderDetails(d) {
  var panel = this.panel;
  clear(panel);
  var close = el("button", { type: "button", class: "close", "aria-label": "Close the details" }, "×");
  var self = this;
  close.addEventListener("click", function () { panel.hidden = true; self.makeRoomForPanel(false); });
  panel.appendChild(close);
  panel.appendChild(el("h2", { "data-role": "details-title" }, decode(d.label)));
  var facts = el("p", { class: "muted" }, [d.types.map(decode).join(", "), decode(d.country), decode(d.location), decode(d.period)].filter(Boolean).join(" · "));
  if (d.origin) {
    /* real or fictional, as every page shows it (the _macros.html origin_badge) */
    var badge = el("span", { class: "badge origin-" + d.origin.key, "data-origin": d.origin.key, title: d.origin.title }, d.origin.label);
    facts.insertBefore(document.createTextNode(" "), facts.firstChild);
    facts.insertBefore(badge, facts.firstChild);
  }
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
}
