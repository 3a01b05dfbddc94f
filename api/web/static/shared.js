/* ActorGraph pages: small shared helpers, imported by every page's script. No framework, no build step.
 *
 * Safety rule for every script of these pages: data is written with textContent (or as canvas
 * text by vis-network), never with innerHTML. The server sends strings HTML-escaped; `decode`
 * turns the five entities it produces back into characters for those text-only sinks.
 */

var KEY_STORAGE = "actorgraph.apiKey";

export function decode(value) {
  if (value === null || value === undefined) return "";
  return String(value)
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&");
}

var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/* A date, or a partial one (2018, 2018-04), in words: "14 April 2018", "April 2018", "2018", as
 * api.web.views.prose.day writes it on the server; anything else as it came. */
export function day(value) {
  var match = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(String(value || ""));
  if (!match) return value ? String(value) : "";
  var month = match[2] ? parseInt(match[2], 10) : 0;
  if (month < 1 || month > 12) return match[1];
  if (!match[3]) return MONTHS[month - 1] + " " + match[1];
  return parseInt(match[3], 10) + " " + MONTHS[month - 1] + " " + match[1];
}

/* "year" or "month" when two days cover whole years or months exactly (2017-01-01 to 2020-12-31),
 * as api.web.views.prose._whole decides: the same days then read "2017 – 2020". */
function whole(start, end) {
  var a = /^(\d{4})-(\d{2})-(\d{2})/.exec(start), b = /^(\d{4})-(\d{2})-(\d{2})/.exec(end);
  if (!a || !b) return null;
  var year = parseInt(b[1], 10), month = parseInt(b[2], 10), last = parseInt(b[3], 10);
  if (month < 1 || month > 12 || a[3] !== "01" || last !== new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return a[2] === "01" && month === 12 ? "year" : "month";
}

function cut(value, precision) {
  return precision === "year" ? value.slice(0, 4) : precision === "month" ? value.slice(0, 7) : value;
}

/* A sentence with its dates in words, as api.web.views.prose.dates_in_words writes it: the
 * vetting engine writes a date as precisely as its source gave it ("2010", "2019-03",
 * "2018-04-14"), so "2019-03" reads "March 2019" and nothing is added; a range of two whole
 * years reads "2017 – 2020". A case number such as SCD-2020-07 is left alone. */
export function datesInWords(text) {
  if (text === null || text === undefined) return "";
  return String(text).replace(/(?<![\w-])(\d{4}-\d{2}(?:-\d{2})?)(?:\s+–\s+(\d{4}-\d{2}(?:-\d{2})?))?(?![\w-])/g, function (all, start, end) {
    if (!end) return day(start);
    var w = whole(start, end), first = day(cut(start, w)), last = day(cut(end, w));
    return first === last ? first : first + " – " + last;
  });
}

/* Real, fictional or synthetic, from the namespace of a subject's IRI, as a badge: the words of
 * api.web.views.prose.ORIGINS (a test holds the two to the same words) and the class of the
 * _macros.html origin_badge. Vetting statements about real people and the invented scenario must
 * never be confused, so every list shows it. */
var ORIGINS = {
  real: ["real data", "Public data about real actors, from the sources cited"],
  fictional: ["fictional", "Invented for demonstration: no real person, unit or program"],
  synthetic: ["synthetic", "Generated for tests and benchmarks: no real person, unit or program"]
};

export function origin(iri) {
  var match = /^https:\/\/w3id\.org\/actorgraph\/(fictional|synthetic)\/id\//.exec(String(iri || ""));
  return match ? match[1] : "real";
}

export function originBadge(iri) {
  var key = origin(iri);
  return el("span", { class: "badge origin-" + key, "data-origin": key, title: ORIGINS[key][1] }, ORIGINS[key][0]);
}

/* el("a", {href: "/x", class: "y"}, "text", child, ...): an element with text children only. */
export function el(tag, attrs) {
  var node = document.createElement(tag);
  attrs = attrs || {};
  Object.keys(attrs).forEach(function (name) {
    var value = attrs[name];
    if (value === null || value === undefined || value === false) return;
    if (name === "href" && !isLocalOrHttp(value)) return;
    node.setAttribute(name, value === true ? "" : String(value));
  });
  for (var i = 2; i < arguments.length; i++) {
    var child = arguments[i];
    if (child === null || child === undefined || child === "") continue;
    node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
  return node;
}

/* Links point to this server ("/...") or to http(s) URLs the server already checked. */
function isLocalOrHttp(href) {
  var text = String(href);
  if (text.charAt(0) === "/" && text.charAt(1) !== "/") return true;
  return /^https?:\/\//i.test(text);
}

export function getKey() {
  try { return window.sessionStorage.getItem(KEY_STORAGE) || ""; } catch (e) { return ""; }
}

export function setKey(value) {
  try {
    if (value) window.sessionStorage.setItem(KEY_STORAGE, value);
    else window.sessionStorage.removeItem(KEY_STORAGE);
  } catch (e) { /* storage disabled: the key lives only in the field */ }
}

/* fetch with the user's API key, if they gave one, as the API expects it. */
export function authFetch(url, options) {
  options = options || {};
  var headers = new Headers(options.headers || {});
  var key = getKey();
  if (key) headers.set("Authorization", "Bearer " + key);
  options.headers = headers;
  options.credentials = "same-origin";
  return fetch(url, options);
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/* A refused or failed answer as a rejected promise: "HTTP <status>: <the server's detail>", plus
 * `keyHint` when the key was refused (unless the server already asks for a different key). */
export function failure(response, keyHint) {
  return response.text().then(function (body) {
    var detail = body;
    try { detail = JSON.parse(body).detail || body; } catch (e) { /* plain text */ }
    if (typeof detail !== "string") detail = JSON.stringify(detail);
    if ((response.status === 401 || response.status === 403) && !/different API key/.test(detail)) detail += keyHint;
    if (response.status === 404 && !detail) detail = "not found";
    throw new Error("HTTP " + response.status + ": " + detail);
  });
}

/* A download of `blob` as the file `name`, through a temporary link. */
export function save(blob, name) {
  var link = el("a", { href: "/", download: name });
  link.href = URL.createObjectURL(blob);
  document.body.appendChild(link);
  link.click();
  setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
}

/* The results of a vetting answer: every object in it with a `subject` IRI and an `outcome` (clear,
 * review, flag), whatever the list around it is called. */
export function vettingResults(body) {
  var found = [];
  (function walk(value) {
    if (Array.isArray(value)) { value.forEach(walk); return; }
    if (!value || typeof value !== "object") return;
    if (typeof value.subject === "string" && typeof value.outcome === "string") { found.push(value); return; }
    Object.keys(value).forEach(function (k) { if (value[k] && typeof value[k] === "object") walk(value[k]); });
  })(body);
  return found;
}
