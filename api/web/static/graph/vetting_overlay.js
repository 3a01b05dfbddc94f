/* Graph view vetting overlay: on program views, partners are coloured by vetting outcome when the
 * caller's key may read the program's vetting.
 *
 * Its exports are methods of GraphPage (graph/page.js), called with `this` the page.
 */

import { authFetch, decode, vettingResults } from "../shared.js";

/* Program views: colour partners by vetting outcome, if the caller may see the vetting. */
export function loadVetting() {
  var self = this;
  var note = this.root.querySelector("[data-role=vetting-note]");
  authFetch(this.data.vettingUrl, { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (response.status === 401 || response.status === 403) throw new Error("Vetting outcomes need an analyst's API key (set it at the top right).");
      if (response.status === 404) throw new Error("No vetting is available for this program.");
      if (!response.ok) throw new Error("The vetting could not be loaded (" + response.status + ").");
      return response.json();
    })
    .then(function (body) {
      var outcomes = outcomesBySubject(body);
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
}

/* How each subject of a vetting answer came out, by subject IRI. */
function outcomesBySubject(body) {
  var found = new Map();
  vettingResults(body).forEach(function (result) { found.set(result.subject, result.outcome); });
  return found;
}
