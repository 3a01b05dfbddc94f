/* The actors page: choosing a filter applies it at once (the Apply button stays for keyboards). */
document.querySelectorAll("form[data-role=actor-filters] select[data-filter]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
