/* Vetting panels of the actor and program pages.
 *
 * The page cannot know the user's role (a link sends no API key), so it asks the vetting resource
 * itself, with the key the user entered at the top right, and shows what comes back: the outcome
 * (clear / review / flag), the reason, and a link to the full report. Written with textContent.
 */

import { authFetch, clear, datesInWords, day, el, originBadge, save, vettingResults } from "./shared.js";

/* A program's vetting table as a PDF, fetched with the user's key like the panel itself. */
function pdfButton(panel) {
  var button = panel.querySelector("button[data-download=pdf]");
  if (!button || button.dataset.bound) return;
  button.dataset.bound = "1";
  button.addEventListener("click", function () {
    var status = panel.querySelector("[data-role=download-status]");
    authFetch(panel.getAttribute("data-url"), { headers: { Accept: "application/pdf" } })
      .then(function (response) { if (!response.ok) throw new Error("The PDF could not be made (HTTP " + response.status + ")."); return response.blob(); })
      .then(function (blob) { save(blob, "program-vetting.pdf"); if (status) status.textContent = ""; })
      .catch(function (error) { if (status) status.textContent = String(error.message || error); });
  });
}

function reportHref(subject) {
  return "/pages/vetting/report?subject=" + encodeURIComponent(subject);
}

function badge(outcome) {
  return el("span", { class: "outcome " + (/^(clear|review|flag)$/.test(outcome) ? outcome : "") }, outcome);
}

function load(panel) {
  var body = panel.querySelector("[data-role=vetting-body]");
  var url = panel.getAttribute("data-url");
  authFetch(url, { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (response.status === 401 || response.status === 403) {
        return response.json().catch(function () { return {}; }).then(function (b) {
          throw new Error("Vetting outcomes are for analysts: enter an analyst's API key at the top right. " + (b.detail ? "(" + b.detail + ")" : ""));
        });
      }
      if (response.status === 404) throw new Error("No vetting is available here yet.");
      if (!response.ok) throw new Error("The vetting could not be loaded (HTTP " + response.status + ").");
      return response.json();
    })
    .then(function (data) {
      clear(body);
      var results = vettingResults(data);
      if (!results.length) { body.appendChild(el("p", { class: "muted" }, "No vetting results.")); return; }
      if (results.length === 1 && !panel.hasAttribute("data-program")) {
        var r = results[0];
        body.appendChild(el("p", { "data-role": "outcome" }, badge(r.outcome), " ", datesInWords(r.reason)));
        var n = (r.findings || []).length;
        body.appendChild(el("p", { class: "muted" }, n + " finding" + (n === 1 ? "" : "s") + (r.date ? " · as of " + day(r.date) : "")));
        body.appendChild(el("p", {}, el("a", { href: reportHref(r.subject) }, "Read the full vetting report")));
        return;
      }
      var participants = Array.isArray(data.participants) ? data.participants : null;
      var table = el("table", { class: "vetting-table" });
      table.appendChild(el("thead", {}, el("tr", {}, el("th", {}, "Partner"), el("th", {}, participants ? "Role" : ""),
        el("th", {}, "Outcome"), el("th", {}, "Why"), el("th", {}, "Report"))));
      var tbody = el("tbody");
      results.forEach(function (r) {
        var name = r.subject_label || r.label || r.subject;
        var entry = participants ? participants.find(function (p) { return p.vetting === r; }) : null;
        var page = "/pages/actors/" + encodeURIComponent(r.subject).replace(/%2F/g, "/").replace(/%3A/g, ":");
        tbody.appendChild(el("tr", { "data-outcome": r.outcome, "data-subject": r.subject },
          el("td", {}, el("a", { href: page }, name), " ", originBadge(r.subject)),
          el("td", {}, entry ? entry.roles.join(", ") : ""),
          el("td", {}, badge(r.outcome)),
          el("td", {}, datesInWords(r.reason)),
          el("td", {}, el("a", { href: reportHref(r.subject) }, "report"))));
      });
      table.appendChild(tbody);
      if (data.counts && participants) {
        body.appendChild(el("p", { "data-role": "counts" }, badge("flag"), " " + (data.counts.flag || 0) + "  ", badge("review"), " " + (data.counts.review || 0) + "  ",
          badge("clear"), " " + (data.counts.clear || 0) + (data.date ? "  · as of " + day(data.date) : "")));
      }
      body.appendChild(el("div", { class: "table-wrap" }, table));
    })
    .catch(function (error) {
      clear(body);
      body.appendChild(el("p", { class: "muted" }, String(error.message || error)));
    });
}

function all() { document.querySelectorAll("[data-vetting-panel]").forEach(function (panel) { load(panel); pdfButton(panel); }); }
document.addEventListener("DOMContentLoaded", all);
document.addEventListener("actorgraph:key", all);
