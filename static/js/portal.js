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
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var form = event.target.form;
      if (form && form.id === "proposal-form") form.dataset.changed = "1";
    });
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-step-link]");
    var form = document.getElementById("proposal-form");
    if (!link || !form || !form.dataset.changed) return;
    var button = form.querySelector("[data-goto-button]");
    if (!button) return;
    event.preventDefault();
    // Added only now: a form without scripts has no "goto" field to send.
    var input = form.querySelector("input[name=goto]") || document.createElement("input");
    input.type = "hidden";
    input.name = "goto";
    input.value = link.getAttribute("data-step-link");
    form.append(input);
    form.requestSubmit(button);
  });

  // <button data-confirm="Question?">: the action goes ahead only if the person agrees.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  });

  // Search pickers (templates/includes/search_picker.html): an accessible combobox finds units or officials by
  // name and adds the one chosen to the ticked choices above it; pickers that arrive with htmx (an action's form
  // unfolded on the proposal page) are set up as they arrive.
  document.addEventListener("DOMContentLoaded", function () { setUpPickers(document); });
  document.addEventListener("htmx:afterSwap", function (event) { setUpPickers(event.target); });

  function escapeHtml(text) {
    var element = document.createElement("span");
    element.textContent = text;
    return element.innerHTML;
  }

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_match, key) { return values[key]; });
  }

  function setUpPickers(root) {
    if (typeof window.accessibleAutocomplete !== "function") return;
    root.querySelectorAll("[data-picker]:not([data-picker-ready])").forEach(function (picker) {
      picker.setAttribute("data-picker-ready", "");
      var t = JSON.parse(picker.getAttribute("data-messages"));
      var single = picker.getAttribute("data-single") === "1";
      var timer = null;
      window.accessibleAutocomplete({
        element: picker.querySelector("[data-picker-search]"),
        id: picker.getAttribute("data-input-id"),
        minLength: 2,
        confirmOnBlur: false,
        placeholder: t.placeholder,
        inputClasses: "form-control",
        source: function (query, populate) {
          window.clearTimeout(timer);
          timer = window.setTimeout(function () {
            var url = new URL(picker.getAttribute("data-source"), window.location.href);
            url.searchParams.set("q", query);
            fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
              .then(function (response) { return response.ok ? response.json() : { results: [] }; })
              .then(function (data) { populate(data.results); })
              .catch(function () { populate([]); });
          }, 250);
        },
        templates: {
          // Once chosen, an item joins the ticked choices and the box is emptied for the next search.
          inputValue: function () { return ""; },
          suggestion: function (item) {
            if (typeof item === "string") return escapeHtml(item);
            return escapeHtml(item.name) +
              (item.context ? ' <span class="search-picker-context">— ' + escapeHtml(item.context) + "</span>" : "");
          }
        },
        onConfirm: function (item) { if (item && typeof item === "object") choose(picker, item, single, t); },
        tNoResults: function () { return t.noResults; },
        tStatusNoResults: function () { return t.noResults; },
        tStatusQueryTooShort: function (length) { return format(t.tooShort, { n: length }); },
        tStatusSelectedOption: function (option, count, index) {
          return format(t.selectedOption, { option: option, position: index + 1, count: count });
        },
        tStatusResults: function (count, selected) { return format(t.results, { count: count, selected: selected }); },
        tAssistiveHint: function () { return t.hint; }
      });
    });
  }

  function choose(picker, item, single, t) {
    var list = picker.querySelector("[data-picker-chosen]");
    var name = picker.getAttribute("data-name");
    var id = picker.getAttribute("data-input-id") + "_" + item.id;
    var input = document.getElementById(id);
    if (single) {
      list.querySelectorAll("input").forEach(function (other) {
        if (other.value) other.closest("li").remove(); else other.checked = false;
      });
      input = null;
    }
    if (!input) {
      var row = document.createElement("li");
      row.className = "form-check";
      input = document.createElement("input");
      input.className = "form-check-input";
      input.type = single ? "radio" : "checkbox";
      input.name = name;
      input.value = item.id;
      input.id = id;
      var label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = id;
      label.textContent = item.name;
      row.append(input, label);
      list.append(row);
    }
    input.checked = true;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    picker.querySelector("[data-picker-status]").textContent = format(t.added, { name: item.name });
  }
})();
