/* Vetting pages: the list-screening upload and the one-subject report.
 *
 * Both call the vetting API with the user's API key. Results are written with textContent; the
 * HTML report is shown in a sandboxed iframe (no scripts, no same-origin access).
 */

import { authFetch, clear, datesInWords, el, failure, originBadge, save } from "./shared.js";

function problem(response) {
  return failure(response, " — vetting needs an analyst's API key (top right).");
}

/* The rows of a screening answer: a list of objects, wherever the answer keeps it. */
function rowsOf(body) {
  if (Array.isArray(body)) return body;
  if (!body || typeof body !== "object") return [];
  var keys = ["results", "rows", "subjects", "matches", "items"];
  for (var i = 0; i < keys.length; i++) if (Array.isArray(body[keys[i]])) return body[keys[i]];
  var lists = Object.keys(body).filter(function (k) { return Array.isArray(body[k]); });
  return lists.length ? body[lists[0]] : [];
}

function flat(value) {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.length + (value.length === 1 ? " item" : " items");
  if (typeof value === "object") return value.label || value.name || value.id || value.subject || JSON.stringify(value);
  return String(value);
}

// The columns a screening row is shown with (graph.vetting.screening.screen's JSON); others stay in the CSV.
var SCREEN_COLUMNS = ["row", "name", "type", "country", "match", "subject_label", "score", "outcome", "findings", "reason"];

function columnsOf(rows) {
  if (rows.length && SCREEN_COLUMNS.every(function (c) { return c in rows[0]; })) return SCREEN_COLUMNS;
  var columns = [];
  rows.forEach(function (row) {
    Object.keys(row).forEach(function (k) { if (columns.indexOf(k) < 0) columns.push(k); });
  });
  return columns;
}

function toCsv(rows, columns) {
  function quote(text) {
    text = flat(text);
    // A leading = + - @ would make a spreadsheet run a formula: prefix it with a quote.
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  return [columns.map(quote).join(",")].concat(rows.map(function (row) {
    return columns.map(function (c) { return quote(row[c]); }).join(",");
  })).join("\r\n") + "\r\n";
}

function screening() {
  var form = document.getElementById("screen-form");
  if (!form) return;
  var status = document.getElementById("screen-status");
  var results = document.getElementById("screen-results");
  var download = document.getElementById("screen-download");
  var last = null;

  function send(accept) {
    var data = new FormData(form);
    if (!data.get("date")) data.delete("date");
    return authFetch("/vetting/screen", { method: "POST", body: data, headers: { Accept: accept } })
      .then(function (response) { return response.ok ? response : problem(response); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    status.textContent = "Screening…";
    clear(results);
    download.disabled = true;
    send("application/json")
      .then(function (response) { return response.json(); })
      .then(function (body) {
        var rows = rowsOf(body);
        last = rows;
        var columns = columnsOf(rows);
        var table = el("table", { id: "screen-table" });
        var head = el("tr");
        columns.forEach(function (c) { head.appendChild(el("th", {}, c)); });
        table.appendChild(el("thead", {}, head));
        var tbody = el("tbody");
        rows.forEach(function (row) {
          var tr = el("tr", { "data-outcome": typeof row.outcome === "string" ? row.outcome : null });
          columns.forEach(function (c) {
            var value = row[c];
            var td = el("td");
            if (c === "outcome" && /^(clear|review|flag)$/.test(String(value))) td.appendChild(el("span", { class: "outcome " + value }, String(value)));
            else if (c === "subject_label" && row.subject) {
              td.appendChild(el("a", { href: "/pages/vetting/report?subject=" + encodeURIComponent(row.subject) }, flat(value)));
              td.appendChild(document.createTextNode(" "));
              td.appendChild(originBadge(row.subject));
            }
            else if (c === "reason") td.textContent = datesInWords(flat(value));  // as the report says them; the CSV keeps the engine's
            else td.textContent = flat(value);
            tr.appendChild(td);
          });
          tbody.appendChild(tr);
        });
        table.appendChild(tbody);
        results.appendChild(table);
        status.textContent = rows.length + " row" + (rows.length === 1 ? "" : "s") + " screened.";
        download.disabled = false;
      })
      .catch(function (error) {
        status.textContent = "";
        results.appendChild(el("p", { class: "error" }, String(error.message || error)));
      });
  });

  // The download is made from the answer already on the page: screening again would vet every
  // name a second time and write a second set of runs into the audit trail.
  download.addEventListener("click", function () {
    if (!last) return;
    var rows = last.map(function (row) {
      var out = {};
      SCREEN_COLUMNS.concat(["subject"]).forEach(function (c) { out[c] = row[c]; });
      out.candidates = (row.candidates || []).map(function (c) {
        return c.label + " <" + c.iri + "> " + c.score + ": " + (c.reasons || []).join(", ");
      }).join("; ");
      return out;
    });
    save(new Blob([toCsv(rows, SCREEN_COLUMNS.concat(["subject", "candidates"]))], { type: "text/csv" }), "screening.csv");
  });
}

/* The report is the vetting router's own page: shown in a sandboxed frame (no scripts, no
 * access to this page), without its site header, footer and scripts, which this page has. */
function reportDocument(html) {
  var doc = new DOMParser().parseFromString(html, "text/html");  // parsing runs nothing
  doc.querySelectorAll("header.site, footer.site, script").forEach(function (node) { node.remove(); });
  return "<!doctype html>" + doc.documentElement.outerHTML;
}

function report() {
  var box = document.getElementById("vetting-report");
  if (!box) return;
  var status = box.querySelector("[data-role=report-status]");
  var frame = box.querySelector("iframe");
  var url = box.getAttribute("data-url");
  authFetch(url, { headers: { Accept: "text/html" } })
    .then(function (response) { return response.ok ? response.text() : problem(response); })
    .then(function (html) {
      frame.srcdoc = reportDocument(html);
      frame.hidden = false;
      status.textContent = "";
      status.className = "muted";
      box.setAttribute("data-state", "loaded");
    })
    .catch(function (error) {
      status.className = "error";
      status.textContent = String(error.message || error);
      box.setAttribute("data-state", "failed");
    });
  var record = box.querySelector("button[data-role=record-run]");
  var runStatus = box.querySelector("[data-role=run-status]");
  if (record) record.onclick = function () {
    // An explicit run: POST records it in the audit trail; viewing (GET) never does.
    runStatus.className = "muted";
    runStatus.textContent = "Recording…";
    authFetch(url, { method: "POST", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : problem(response); })
      .then(function (body) { runStatus.textContent = "Recorded: " + body.outcome + ", run " + body.run; box.setAttribute("data-recorded", body.run); })
      .catch(function (error) { runStatus.className = "error"; runStatus.textContent = String(error.message || error); });
  };
  box.querySelectorAll("button[data-download]").forEach(function (button) {
    button.onclick = function () {
      var kind = button.getAttribute("data-download");
      var accept = ACCEPT[kind] || "application/json";
      authFetch(url, { headers: { Accept: accept } })
        .then(function (response) { return response.ok ? response.blob() : problem(response); })
        .then(function (blob) { save(blob, "vetting." + kind); })
        .catch(function (error) { status.className = "error"; status.textContent = String(error.message || error); });
    };
  });
}

// What each download button asks the vetting resource for (its answer_format reads Accept).
var ACCEPT = { csv: "text/csv", pdf: "application/pdf", html: "text/html", json: "application/json" };

document.addEventListener("DOMContentLoaded", function () { screening(); report(); });
document.addEventListener("actorgraph:key", report);
