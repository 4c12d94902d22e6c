/* Search as you type: enhances every <input data-suggest-url="..."> into an ARIA 1.2 combobox
   (role=combobox, aria-expanded, aria-controls → listbox, aria-activedescendant; arrow keys,
   Enter, Escape). Suggestions come as JSON from the URL (?q=...). Without JavaScript the input
   stays a plain search box: its form still submits. No inline script (CSP). The styles are in
   suggest.css, which base.html links (a URL derived here would miss collectstatic's hashed name). */
(function () {
  "use strict";
  var DEBOUNCE_MS = 200;
  var counter = 0;
  function enhance(input) {
    counter += 1;
    var listId = "suggest-list-" + counter;
    var statusId = "suggest-status-" + counter;
    var wrapper = input.parentNode;
    wrapper.classList.add("suggest");
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest__list";
    list.setAttribute("role", "listbox");
    if (input.labels && input.labels.length) {
      if (!input.labels[0].id) { input.labels[0].id = listId + "-label"; }
      list.setAttribute("aria-labelledby", input.labels[0].id);
    }
    list.hidden = true;
    wrapper.appendChild(list);
    var status = document.createElement("div");
    status.id = statusId;
    status.className = "suggest__status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    wrapper.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var pending = null;
    var lastQuery = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function select(index) {
      var options = list.querySelectorAll("[role=option]");
      for (var i = 0; i < options.length; i += 1) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(index) {
      if (items[index]) { window.location.assign(items[index].url); }
    }

    function render(suggestions, announcement) {
      items = suggestions;
      list.textContent = "";
      suggestions.forEach(function (suggestion, index) {
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.className = "suggest__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var text = document.createElement("span");
        text.textContent = suggestion.label;
        option.appendChild(text);
        var kind = document.createElement("span");
        kind.className = "suggest__kind";
        kind.textContent = suggestion.kind_label || "";
        option.appendChild(kind);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { go(index); });
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (suggestions.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = announcement || "";
      } else {
        close();
        status.textContent = "";
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) { return; }
      lastQuery = query;
      if (query.length < 2) { render([]); return; }
      if (pending) { pending.abort(); }
      pending = new AbortController();
      var url = input.getAttribute("data-suggest-url");
      url += (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, signal: pending.signal, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === query) { render(data.suggestions || [], data.status); } })
        .catch(function () { /* aborted or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DEBOUNCE_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        if (!open) { if (items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); select(0); } return; }
        event.preventDefault();
        select(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (!open) { return; }
        event.preventDefault();
        select(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); go(active); }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); } else if (input.value) { input.value = ""; lastQuery = null; }
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-suggest-url]");
    if (!inputs.length) { return; }
    for (var i = 0; i < inputs.length; i += 1) { enhance(inputs[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
