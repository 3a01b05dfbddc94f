/* The SPARQL page: a textarea editor with Tab handling, run, results table, downloads.
 *
 * Everything goes through /sparql with the user's API key (if any), so the endpoint's rules apply.
 * Results are written with textContent only.
 */

import { authFetch, clear, el, save } from "./shared.js";

var INDENT = "  ";

var editor, status, results, library;

function form(text) {
  var stripped = text.replace(/#[^\n]*/g, " ").replace(/<[^>\s]*>/g, " ");
  var match = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(stripped);
  return match ? match[1].toUpperCase() : "SELECT";
}

/* Tab and Shift+Tab indent and outdent the selected lines; Esc lets the next Tab leave. */
function tabHandling(event) {
  if (event.key === "Escape") { editor.dataset.escaped = "1"; return; }
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); return; }
  if (event.key !== "Tab") { delete editor.dataset.escaped; return; }
  if (editor.dataset.escaped) { delete editor.dataset.escaped; return; }
  event.preventDefault();
  var value = editor.value;
  var start = editor.selectionStart;
  var end = editor.selectionEnd;
  var lineStart = value.lastIndexOf("\n", start - 1) + 1;
  if (start === end && !event.shiftKey) {
    editor.setRangeText(INDENT, start, end, "end");
    return;
  }
  var block = value.slice(lineStart, end);
  var lines = block.split("\n");
  var changed = lines.map(function (line) {
    if (!event.shiftKey) return INDENT + line;
    return line.indexOf(INDENT) === 0 ? line.slice(INDENT.length) : line.replace(/^ /, "");
  }).join("\n");
  editor.setRangeText(changed, lineStart, end, "preserve");
  editor.selectionStart = lineStart;
  editor.selectionEnd = lineStart + changed.length;
}

function accept(kind, wanted) {
  var graph = kind === "CONSTRUCT" || kind === "DESCRIBE";
  if (wanted === "csv") return graph ? "application/n-triples" : "text/csv";
  if (wanted === "json") return graph ? "application/ld+json" : "application/sparql-results+json";
  return graph ? "application/n-triples" : "application/sparql-results+json";
}

function post(text, acceptType) {
  return authFetch("/sparql", {
    method: "POST",
    headers: { "Content-Type": "application/sparql-query", Accept: acceptType },
    body: text,
  }).then(function (response) {
    if (response.ok) return response;
    return response.text().then(function (body) {
      var message = body;
      try { message = JSON.parse(body).detail || body; } catch (e) { /* plain text error */ }
      throw new Error("HTTP " + response.status + ": " + message);
    });
  });
}

function cell(term) {
  if (!term) return el("td", { class: "muted" }, "");
  var text = term.value;
  if (term.type === "literal" && term["xml:lang"]) text += " @" + term["xml:lang"];
  var td = el("td", { title: term.datatype || term.type }, text);
  if (term.type === "uri") td.classList.add("iri");
  return td;
}

function showTable(data) {
  clear(results);
  if (typeof data.boolean === "boolean") {
    results.appendChild(el("p", { class: "answer" }, "Answer: " + (data.boolean ? "yes (true)" : "no (false)")));
    return 1;
  }
  var vars = data.head.vars || [];
  var rows = data.results.bindings || [];
  var table = el("table", { id: "results-table" });
  var head = el("tr");
  vars.forEach(function (v) { head.appendChild(el("th", {}, v)); });
  table.appendChild(el("thead", {}, head));
  var body = el("tbody");
  rows.forEach(function (row) {
    var tr = el("tr");
    vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
    body.appendChild(tr);
  });
  table.appendChild(body);
  results.appendChild(table);
  return rows.length;
}

function showTriples(text) {
  clear(results);
  var lines = text.split("\n").filter(function (l) { return l.trim(); });
  results.appendChild(el("pre", { class: "triples" }, text));
  return lines.length;
}

function run() {
  var text = editor.value;
  var kind = form(text);
  status.textContent = "Running…";
  var started = performance.now();
  post(text, accept(kind, "view"))
    .then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      return type.indexOf("json") >= 0 ? response.json().then(showTable) : response.text().then(showTriples);
    })
    .then(function (count) {
      var ms = Math.round(performance.now() - started);
      status.textContent = count + (kind === "CONSTRUCT" || kind === "DESCRIBE" ? " triples" : " rows") + " in " + ms + " ms";
    })
    .catch(function (error) {
      clear(results);
      results.appendChild(el("p", { class: "error" }, String(error.message || error)));
      status.textContent = "Failed";
    });
}

function download(wanted) {
  var text = editor.value;
  var kind = form(text);
  var type = accept(kind, wanted);
  status.textContent = "Preparing the download…";
  post(text, type)
    .then(function (response) { return response.blob(); })
    .then(function (blob) {
      var ext = { "text/csv": "csv", "application/sparql-results+json": "json", "application/ld+json": "jsonld", "application/n-triples": "nt" }[type];
      save(blob, "results." + ext);
      status.textContent = "Downloaded results." + ext;
    })
    .catch(function (error) { status.textContent = String(error.message || error); });
}

function pick() {
  var picker = document.getElementById("library-picker");
  var note = document.getElementById("library-note");
  var chosen = library.find(function (q) { return q.name === picker.value; });
  if (!chosen) { note.textContent = ""; return; }
  editor.value = chosen.text;
  var text = chosen.description;
  if (chosen.params.length) {
    text += " Parameters: " + chosen.params.map(function (p) { return "?" + p.name + " (" + p.type + (p.optional ? ", optional" : "") + ")"; }).join(", ") +
      ". Unbound here, they match anything: bind one by adding a line such as VALUES ?" + chosen.params[0].name + " { … } inside the WHERE clause, or run it with values at /queries/" + chosen.name + ".";
  }
  note.textContent = text;
}

document.addEventListener("DOMContentLoaded", function () {
  editor = document.getElementById("sparql-editor");
  status = document.getElementById("query-status");
  results = document.getElementById("query-results");
  library = JSON.parse(document.getElementById("library-data").textContent);
  editor.addEventListener("keydown", tabHandling);
  document.getElementById("run-query").addEventListener("click", run);
  document.getElementById("download-csv").addEventListener("click", function () { download("csv"); });
  document.getElementById("download-json").addEventListener("click", function () { download("json"); });
  document.getElementById("library-picker").addEventListener("change", pick);
  document.getElementById("draw-query").addEventListener("click", function () {
    var drawForm = document.getElementById("draw-form");
    drawForm.querySelector("input[name=query]").value = editor.value;
    drawForm.submit();
  });
  if (document.getElementById("library-picker").value) pick();
});
