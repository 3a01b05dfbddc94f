/* Subject fields that suggest actors as you type, from the actors API (/actors?q=): the user
 * picks a name and the field gets the short form the routes take (unit/bde-7, or the IRI).
 * Suggestions are plain <datalist> options, so the field stays an ordinary text input that also
 * takes an IRI or identifier typed in full. */

import { authFetch, clear, el } from "./shared.js";

var WAIT_MS = 200;
var SHORT = /^https:\/\/w3id\.org\/actorgraph\/(?:(fictional|synthetic)\/)?id\/([a-z-]+\/[^/?#]+)$/;

/* What a route takes for an IRI of ours: [fictional/]kind/slug; any other IRI as it is. */
export function shortForm(iri) {
  var match = SHORT.exec(iri);
  if (!match) return iri;
  return (match[1] ? match[1] + "/" : "") + match[2];
}

function attach(input, n) {
  var list = el("datalist", { id: "subject-suggestions-" + n });
  input.after(list);
  input.setAttribute("list", list.id);
  input.setAttribute("autocomplete", "off");
  var timer = null;
  var asked = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2 || q.indexOf("/") >= 0 || q === asked) return;
    timer = setTimeout(function () {
      asked = q;
      authFetch("/actors?" + new URLSearchParams({ q: q, limit: "8" }).toString(), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) {
          if (input.value.trim() !== q) return;  // the user typed on: a later answer will come
          clear(list);
          body.results.forEach(function (hit) {
            var kind = (hit.types || []).join(", ");
            list.appendChild(el("option", { value: shortForm(hit.id), label: hit.label + (kind ? " — " + kind : "") }));
          });
          input.dataset.suggested = String(body.results.length);
        })
        .catch(function () { /* no suggestions: the field still takes what is typed */ });
    }, WAIT_MS);
  });
}

document.querySelectorAll("input[data-autocomplete=actors]").forEach(attach);
