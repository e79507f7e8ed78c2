// Behaviour the pages declare with data- attributes; no page carries inline script (docs/security.md, CSP).
(function () {
  "use strict";

  // A form shown again with errors: its summary takes the focus, so a screen reader reads it first.
  document.addEventListener("DOMContentLoaded", function () {
    var first = document.querySelector("[data-autofocus]");
    if (first) first.focus();
    labelStackedCells(document);
  });
  // Lists replaced by htmx (a filter, a page) are labelled as they arrive.
  document.addEventListener("htmx:afterSwap", function (event) { labelStackedCells(event.target); });

  // <table class="table-stack">: on a phone each row is shown as a card of "heading: value" lines
  // (portal.css); each cell takes its column's heading as the label shown before it.
  function labelStackedCells(root) {
    root.querySelectorAll("table.table-stack").forEach(function (table) {
      var headings = Array.from(table.querySelectorAll("thead th")).map(function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.from(row.children).forEach(function (cell, index) {
          if (headings[index] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", headings[index]);
        });
      });
    });
  }

  // The guided proposal form: a change not yet saved is saved before going to another step of its progress
  // indicator (the step's link is a plain link without scripts, and without a change).
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.id === "proposal-form") form.dataset.changed = "1";
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-step-link]");
    var form = document.getElementById("proposal-form");
    if (!link || !form || !form.dataset.changed) return;
    var button = form.querySelector("[data-goto-button]");
    var input = form.querySelector("[data-goto-input]");
    if (!button || !input) return;
    event.preventDefault();
    input.value = link.getAttribute("data-step-link");
    form.requestSubmit(button);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm], [data-pick-unit], [data-clear-select]");
    if (!button) return;

    // <button data-confirm="Question?">: the action goes ahead only if the person agrees.
    if (button.hasAttribute("data-confirm")) {
      if (!window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
      return;
    }

    // A unit chosen in the search results of a unit picker (proposals/widgets/unit_results.html).
    if (button.hasAttribute("data-pick-unit")) {
      var select = document.getElementById(button.dataset.target);
      if (!select) return;
      if (!select.multiple) {
        Array.from(select.options).forEach(function (option) { if (option.value) option.remove(); });
      }
      var chosen = Array.from(select.options).find(function (option) { return option.value === button.dataset.unitId; });
      if (!chosen) {
        chosen = new Option(button.dataset.unitName, button.dataset.unitId, true, true);
        select.add(chosen);
      }
      chosen.selected = true;
      button.parentNode.innerHTML = "";
      return;
    }

    // The authority picker's "all" button (reports/widgets/authority_picker.html).
    var target = document.getElementById(button.getAttribute("data-clear-select"));
    if (!target) return;
    target.innerHTML = "";
    target.add(new Option(button.dataset.all, "", true, true));
  });
})();
