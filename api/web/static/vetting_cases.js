/* The vetting cases page: list cases by status, show one, record a decision, sign one off.
 *
 * Everything is fetched from /vetting/cases with the API key the user entered (the server renders
 * nothing role-dependent), and written with textContent through ActorGraph.el.
 */

import { authFetch, clear, datesInWords, day, el, failure, originBadge, save } from "./shared.js";

var root, detail, list, listStatus, filter;

function problem(response) {
  return failure(response, " — vetting cases need an analyst's API key (top right).");
}

function json(response) { return response.ok ? response.json() : problem(response); }

function badge(kind, value) {
  return el("span", { class: kind + " " + String(value || "").replace(/[^a-z-]/g, "") }, String(value || ""));
}

function caseHref(id) { return "/pages/vetting/cases?case=" + encodeURIComponent(id); }

function who(agent) { return agent ? agent.label + " (key " + agent.id + ")" : ""; }

function row(label, value) {
  var cell = el("td");
  if (value && typeof value === "object" && value.nodeType) cell.appendChild(value);
  else cell.textContent = value === null || value === undefined ? "" : String(value);
  return el("tr", {}, el("th", {}, label), cell);
}

function changeList(changes) {
  var items = el("ul", { "data-role": "changes" });
  if (changes.error) items.appendChild(el("li", {}, changes.error));
  if (changes.outcome && changes.outcome.changed) items.appendChild(el("li", {}, "Outcome: " + changes.outcome.from + " → " + (changes.outcome.to || "cannot vet")));
  (changes.findings_added || []).forEach(function (f) { items.appendChild(el("li", {}, "Added: " + datesInWords(f.summary))); });
  (changes.findings_removed || []).forEach(function (f) { items.appendChild(el("li", {}, "Removed: " + datesInWords(f.summary))); });
  (changes.findings_changed || []).forEach(function (f) { items.appendChild(el("li", {}, "Changed (" + f.from + " → " + f.to + "): " + datesInWords(f.summary))); });
  return items;
}

function renderCase(c) {
  clear(detail);
  detail.hidden = false;
  detail.setAttribute("data-case-id", c.id);
  detail.setAttribute("data-status", c.status);
  detail.appendChild(el("h2", {}, "Case " + c.id + ": " + c.subject_label));
  var table = el("table", { class: "report-header" });
  table.appendChild(row("Status", badge("status", c.status)));
  table.appendChild(row("Subject", el("span", { "data-role": "subject" }, c.subject_label + " ", originBadge(c.subject),
    el("details", { class: "iri" }, el("summary", {}, "Identifier (IRI)"), el("code", {}, c.subject)))));
  table.appendChild(row("Vetted as of", day(c.date) + (c.as_known_on ? ", as known on " + day(c.as_known_on) : "")));
  var engine = el("span", {}, badge("outcome", c.engine.outcome), " " + datesInWords(c.engine.reason));
  table.appendChild(row("Engine's result then", engine));
  table.appendChild(row("Decision", c.decision.replace(/_/g, " ")));
  if (c.conditions) table.appendChild(row("Conditions", c.conditions));
  table.appendChild(row("Justification", c.justification));
  table.appendChild(row("Decided by", who(c.decided_by) + " on " + day(c.decided_at)));
  table.appendChild(row("Expires", day(c.expires) + (c.expired ? " (expired)" : "")));
  table.appendChild(row("Sign-off", c.sign_off ? who(c.sign_off.by) + " on " + day(c.sign_off.at) + (c.sign_off.note ? ": " + c.sign_off.note : "") : "not yet: a second reviewer signs off with another API key"));
  if (c.superseded_by) table.appendChild(row("Superseded by", el("a", { href: caseHref(c.superseded_by) }, "case " + c.superseded_by)));
  table.appendChild(row("Audit run", c.engine.run || ""));
  detail.appendChild(table);
  if (c.needs_re_vetting && c.changes) {
    detail.appendChild(el("h3", {}, "Needs re-vetting: what new data changed"));
    detail.appendChild(changeList(c.changes));
  }
  var record = el("button", { type: "button", "data-role": "download-record" }, "Download the case record (HTML)");
  record.addEventListener("click", function () {
    authFetch("/vetting/cases/" + encodeURIComponent(c.id) + "?format=html", { headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.blob() : problem(response); })
      .then(function (blob) { save(blob, "vetting-case-" + c.id + ".html"); })
      .catch(function (error) { detail.appendChild(el("p", { class: "error" }, String(error.message || error))); });
  });
  detail.appendChild(el("p", {}, el("a", { href: "/pages/vetting/report?subject=" + encodeURIComponent(c.subject) + "&date=" + encodeURIComponent(c.date) }, "Today's vetting report for this subject"), " ", record));
  if (!c.sign_off && !c.expired && !c.superseded_by) {
    var form = el("form", { class: "inline-form", "data-role": "sign-off" },
      el("label", {}, "Note (optional)", el("input", { name: "note", size: "50" })),
      el("button", { type: "submit", class: "primary" }, "Sign off as second reviewer"));
    var status = el("span", { class: "muted", role: "status" });
    form.appendChild(status);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      status.className = "muted";
      status.textContent = "Signing off…";
      var note = form.querySelector("input[name=note]").value;
      authFetch("/vetting/cases/" + encodeURIComponent(c.id) + "/sign-off", {
        method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(note ? { note: note } : {})
      }).then(json).then(function (body) { renderCase(body); loadList(); })
        .catch(function (error) { status.className = "error"; status.textContent = String(error.message || error); });
    });
    detail.appendChild(form);
  }
}

function showCase(id) {
  authFetch("/vetting/cases/" + encodeURIComponent(id), { headers: { Accept: "application/json" } })
    .then(json).then(renderCase)
    .catch(function (error) {
      clear(detail);
      detail.hidden = false;
      detail.appendChild(el("p", { class: "error" }, String(error.message || error)));
    });
}

function loadList() {
  var params = new URLSearchParams();
  var status = filter.querySelector("select[name=status]").value;
  var subject = filter.querySelector("input[name=subject]").value.trim();
  if (status) params.set("status", status);
  if (subject) params.set("subject", subject);
  listStatus.textContent = "Loading…";
  clear(list);
  authFetch("/vetting/cases" + (params.toString() ? "?" + params.toString() : ""), { headers: { Accept: "application/json" } })
    .then(json)
    .then(function (body) {
      var counts = body.counts || {};
      listStatus.textContent = Object.keys(counts).map(function (k) { return counts[k] + " " + k; }).join(", ");
      if (!body.cases.length) { list.appendChild(el("p", { class: "muted" }, "No cases.")); return; }
      var table = el("table", { class: "vetting-table", id: "case-table" });
      table.appendChild(el("thead", {}, el("tr", {}, el("th", {}, "Case"), el("th", {}, "Status"), el("th", {}, "Subject"),
        el("th", {}, "Decision"), el("th", {}, "Engine then"), el("th", {}, "Expires"), el("th", {}, "Decided by"), el("th", {}, "Signed off by"))));
      var tbody = el("tbody");
      body.cases.forEach(function (c) {
        tbody.appendChild(el("tr", { "data-case": c.id, "data-status": c.status },
          el("td", {}, el("a", { href: caseHref(c.id) }, c.id)),
          el("td", {}, badge("status", c.status)),
          el("td", {}, c.subject_label + " ", originBadge(c.subject)),
          el("td", {}, c.decision.replace(/_/g, " ")),
          el("td", {}, badge("outcome", c.engine.outcome)),
          el("td", {}, day(c.expires)),
          el("td", {}, who(c.decided_by)),
          el("td", {}, c.sign_off ? who(c.sign_off.by) : "")));
      });
      table.appendChild(tbody);
      list.appendChild(table);
    })
    .catch(function (error) {
      listStatus.textContent = "";
      list.appendChild(el("p", { class: "error" }, String(error.message || error)));
    });
}

function createForm() {
  var form = document.getElementById("case-form");
  var status = document.getElementById("case-form-status");
  var decision = form.querySelector("select[name=decision]");
  var conditions = form.querySelector("[data-role=conditions]");
  function toggle() { conditions.hidden = decision.value !== "approve_with_conditions"; }
  decision.addEventListener("change", toggle);
  toggle();
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = {};
    ["subject", "date", "decision", "justification", "expires"].forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) body[name] = value;
    });
    if (decision.value === "approve_with_conditions") body.conditions = form.elements.conditions.value.trim();
    status.className = "muted";
    status.textContent = "Vetting and recording…";
    authFetch("/vetting/cases", {
      method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify(body)
    }).then(json).then(function (created) {
      status.textContent = "Recorded as case " + created.id + ".";
      form.elements.justification.value = "";
      form.elements.conditions.value = "";
      history.replaceState(null, "", caseHref(created.id));
      renderCase(created);
      loadList();
    }).catch(function (error) { status.className = "error"; status.textContent = String(error.message || error); });
  });
}

function start() {
  root = document.getElementById("vetting-cases");
  if (!root) return;
  detail = document.getElementById("case-detail");
  list = document.getElementById("case-list");
  listStatus = document.getElementById("case-list-status");
  filter = document.getElementById("case-filter");
  filter.addEventListener("submit", function (event) { event.preventDefault(); loadList(); });
  createForm();
  refresh();
}

function refresh() {
  var id = root.getAttribute("data-case");
  if (id) showCase(id);
  loadList();
}

document.addEventListener("DOMContentLoaded", start);
document.addEventListener("actorgraph:key", function () { if (root) refresh(); });
