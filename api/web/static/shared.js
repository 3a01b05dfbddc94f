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
