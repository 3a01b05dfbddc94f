/* ActorGraph pages: small shared helpers. No framework, no build step.
 *
 * Safety rule for every script of these pages: data is written with textContent (or as canvas
 * text by vis-network), never with innerHTML. The server sends strings HTML-escaped; `decode`
 * turns the five entities it produces back into characters for those text-only sinks.
 */
(function () {
  "use strict";

  var KEY_STORAGE = "actorgraph.apiKey";

  function decode(value) {
    if (value === null || value === undefined) return "";
    return String(value)
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&amp;/g, "&");
  }

  /* el("a", {href: "/x", class: "y"}, "text", child, ...): an element with text children only. */
  function el(tag, attrs) {
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

  function getKey() {
    try { return window.sessionStorage.getItem(KEY_STORAGE) || ""; } catch (e) { return ""; }
  }

  function setKey(value) {
    try {
      if (value) window.sessionStorage.setItem(KEY_STORAGE, value);
      else window.sessionStorage.removeItem(KEY_STORAGE);
    } catch (e) { /* storage disabled: the key lives only in the field */ }
  }

  /* fetch with the user's API key, if they gave one, as the API expects it. */
  function authFetch(url, options) {
    options = options || {};
    var headers = new Headers(options.headers || {});
    var key = getKey();
    if (key) headers.set("Authorization", "Bearer " + key);
    options.headers = headers;
    options.credentials = "same-origin";
    return fetch(url, options);
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /* The header's API key control: stored in sessionStorage, so it goes away with the tab. */
  function initKeyControl() {
    var form = document.getElementById("api-key-form");
    if (!form) return;
    var input = form.querySelector("input[name=key]");
    var state = document.getElementById("api-key-state");
    function show() {
      var has = !!getKey();
      state.textContent = has ? "API key set" : "No API key (reader)";
      form.classList.toggle("has-key", has);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      setKey(input.value.trim());
      input.value = "";
      show();
      document.dispatchEvent(new CustomEvent("actorgraph:key"));
    });
    var forget = form.querySelector("button[data-forget]");
    if (forget) forget.addEventListener("click", function () {
      setKey("");
      show();
      document.dispatchEvent(new CustomEvent("actorgraph:key"));
    });
    show();
  }

  window.ActorGraph = { decode: decode, el: el, getKey: getKey, setKey: setKey, authFetch: authFetch, clear: clear };
  document.addEventListener("DOMContentLoaded", initKeyControl);
})();
