/* The SPARQL page: YASGUI on this server's /sparql only, with the user's API key as a Bearer header,
 * ActorGraph's prefixes in every new tab, the query library as examples with a form for each
 * query's parameters, readable errors, and CSV / JSON downloads.
 *
 * Yasgui is the global the vendored build (/static/vendor/yasgui) defines. Messages are written
 * with textContent only.
 */

import { authFetch, clear, el, getKey, save } from "./shared.js";

var ENDPOINT = window.location.origin + "/sparql";
var yasgui, status, library, editorData;

function prefixBlock(prefixes) {
  return Object.keys(prefixes).map(function (name) { return "PREFIX " + name + ": <" + prefixes[name] + ">"; }).join("\n");
}

/* The starting text of a new tab: every ActorGraph prefix, then the query (whose own PREFIX lines
 * for the same names are dropped, so nothing is declared twice). */
function withPrefixes(text) {
  var declared = editorData.prefixes;
  var body = text.split("\n").filter(function (line) {
    var match = /^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>\s*$/i.exec(line);
    return !(match && declared[match[1] || ""] === match[2]);
  }).join("\n").replace(/^\s+/, "");
  return prefixBlock(declared) + "\n\n" + body;
}

function currentQuery() {
  return yasgui.getTab().getYasqe().getValue();
}

function queryForm(text) {
  var stripped = text.replace(/#[^\n]*/g, " ").replace(/<[^>\s]*>/g, " ");
  var match = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(stripped);
  return match ? match[1].toUpperCase() : "SELECT";
}

/* HTTP statuses of the JSON error codes (graph/errors.py): YASGUI passes on an error's body only. */
var CODE_STATUS = { unauthorized: 401, forbidden: 403, busy: 503, timeout: 503 };

/* An error as a sentence: a parser's message cut to where and a few expected tokens; the key, role
 * and time-limit answers said plainly. */
function readable(status, text) {
  var message = String(text || "").trim();
  try {
    var parsed = JSON.parse(message);
    status = status || CODE_STATUS[parsed.code];
    message = parsed.detail || message;
  } catch (e) { /* plain text, as SPARQL clients expect */ }
  if (typeof message !== "string") message = JSON.stringify(message);
  var position = /error at (\d+):(\d+):?\s*(.*)$/s.exec(message);
  if (position) {
    var detail = position[3].replace(/^expected one of /, "");
    var options = detail.split(/,\s*/);
    var expected = options.length > 6 ? options.slice(0, 6).join(", ") + ", …" : detail;
    return "Syntax error on line " + position[1] + ", column " + position[2] + ": expected " + expected.replace(/^expected /, "") + ".";
  }
  if (status === 401) return "The API key was not accepted (" + message + "). Enter a key at the top right, or clear it to read public graphs.";
  if (status === 403) return "Not allowed for your role: " + message;
  if (status === 503) return "The server is busy or the query ran out of time: " + message;
  return (status ? "HTTP " + status + ": " : "") + message.split("\n")[0];
}

function errorRenderer(error) {
  var box = el("div", { class: "error readable-error" });
  box.appendChild(el("p", {}, readable(error.status, error.text || error.statusText)));
  return Promise.resolve(box);
}

function accept(kind, wanted) {
  var graph = kind === "CONSTRUCT" || kind === "DESCRIBE";
  if (wanted === "csv") return graph ? "application/n-triples" : "text/csv";
  return graph ? "application/ld+json" : "application/sparql-results+json";
}

function download(wanted) {
  var text = currentQuery();
  var type = accept(queryForm(text), wanted);
  status.textContent = "Preparing the download…";
  authFetch("/sparql", { method: "POST", headers: { "Content-Type": "application/sparql-query", Accept: type }, body: text })
    .then(function (response) {
      if (response.ok) return response.blob();
      return response.text().then(function (body) { throw new Error(readable(response.status, body)); });
    })
    .then(function (blob) {
      var ext = { "text/csv": "csv", "application/sparql-results+json": "json", "application/ld+json": "jsonld", "application/n-triples": "nt" }[type];
      save(blob, "results." + ext);
      status.textContent = "Downloaded results." + ext;
    })
    .catch(function (error) { status.textContent = String(error.message || error); });
}

function chosenQuery() {
  var name = document.getElementById("library-picker").value;
  return library.find(function (q) { return q.name === name; });
}

function openInTab(query) {
  var tab = yasgui.addTab(true, { name: query.title });
  tab.getYasqe().setValue(withPrefixes(query.text));
  return tab;
}

/* The chosen example: its description, and a field for each parameter. */
function pick() {
  var note = document.getElementById("library-note");
  var form = document.getElementById("library-form");
  var fields = document.getElementById("library-params");
  var chosen = chosenQuery();
  clear(fields);
  if (!chosen) { note.textContent = ""; form.hidden = true; return; }
  note.textContent = chosen.description;
  chosen.params.forEach(function (param) {
    var label = el("label", {}, param.name + " (" + param.type + (param.optional ? ", optional" : "") + ")");
    var input = el("input", { name: param.name, type: param.type === "date" ? "date" : "text", title: param.description, placeholder: param.description });
    if (!param.optional) input.required = true;
    label.appendChild(input);
    fields.appendChild(label);
  });
  form.hidden = false;
}

/* Run the example through /queries/NAME, which binds the values (they never enter the text), and
 * show the answer in a tab that holds the query. */
function runExample(event) {
  event.preventDefault();
  var chosen = chosenQuery();
  if (!chosen) return;
  var params = new URLSearchParams();
  new FormData(document.getElementById("library-form")).forEach(function (value, name) { if (value) params.append(name, value); });
  var tab = openInTab(chosen);
  var started = performance.now();
  status.textContent = "Running " + chosen.title + "…";
  authFetch("/queries/" + encodeURIComponent(chosen.name) + "?" + params.toString(), { headers: { Accept: "application/sparql-results+json" } })
    .then(function (response) {
      return response.text().then(function (body) {
        var ms = Math.round(performance.now() - started);
        if (!response.ok) {
          tab.getYasr().setResponse({ error: { status: response.status, text: body }, status: response.status, executionTime: ms });
          status.textContent = readable(response.status, body);
          return;
        }
        tab.getYasr().setResponse({ data: body, contentType: "application/sparql-results+json", status: response.status, executionTime: ms });
        var rows = JSON.parse(body).results.bindings.length;
        status.textContent = chosen.title + ": " + rows + " rows in " + ms + " ms";
      });
    })
    .catch(function (error) { status.textContent = String(error.message || error); });
}

document.addEventListener("DOMContentLoaded", function () {
  status = document.getElementById("query-status");
  library = JSON.parse(document.getElementById("library-data").textContent);
  editorData = JSON.parse(document.getElementById("editor-data").textContent);
  var Yasgui = window.Yasgui;
  // Each tab builds its results view from Yasr.defaults' renderers (after its own CORS one).
  Yasgui.Yasr.defaults.errorRenderers = [errorRenderer];
  yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {
      endpoint: ENDPOINT,
      method: "POST",
      headers: function () { var key = getKey(); return key ? { Authorization: "Bearer " + key } : {}; },
    },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: ENDPOINT }]; }, keys: [] },
    copyEndpointOnNewTab: false,
    populateFromUrl: false,
    persistenceId: null,
    autofocus: false,
    // Only completions computed here: the others ask remote services (LOV, prefix.cc).
    yasqe: { value: withPrefixes(editorData.initial), autocompleters: ["variables"] },
    yasr: { prefixes: editorData.prefixes },
  });
  yasgui.on("tabAdd", function (instance, tabId) {
    var tab = instance.getTab(tabId);
    if (tab && !tab.getYasqe().getValue().trim()) tab.getYasqe().setValue(withPrefixes("SELECT * WHERE {\n  ?s ?p ?o\n}\nLIMIT 10"));
  });
  window.actorGraphYasgui = yasgui;
  document.getElementById("download-csv").addEventListener("click", function () { download("csv"); });
  document.getElementById("download-json").addEventListener("click", function () { download("json"); });
  document.getElementById("library-picker").addEventListener("change", pick);
  document.getElementById("library-form").addEventListener("submit", runExample);
  document.getElementById("library-edit").addEventListener("click", function () { var q = chosenQuery(); if (q) openInTab(q); });
  document.getElementById("draw-query").addEventListener("click", function () {
    var drawForm = document.getElementById("draw-form");
    drawForm.querySelector("input[name=query]").value = currentQuery();
    drawForm.submit();
  });
  if (document.getElementById("library-picker").value) pick();
});
