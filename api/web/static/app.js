/* Every page: the header's API key control (see shared.js for the helpers all pages use). */

import { getKey, setKey } from "./shared.js";

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

document.addEventListener("DOMContentLoaded", initKeyControl);
