// As-you-type suggestions for the search box: a small ARIA combobox over /search/suggest.
// Without JavaScript the form still submits to /search.
(function () {
  "use strict";
  var form = document.querySelector("form.search[data-suggest]");
  if (!form) return;
  var input = form.querySelector("input[role=combobox]");
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var url = form.getAttribute("data-suggest");
  var items = [], active = -1, timer = null, latest = 0;

  function close() {
    list.hidden = true; list.textContent = ""; items = []; active = -1;
    input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant");
  }
  function highlight(i) {
    items.forEach(function (li, k) { li.setAttribute("aria-selected", k === i ? "true" : "false"); });
    active = i;
    if (i >= 0) { input.setAttribute("aria-activedescendant", items[i].id); items[i].scrollIntoView({block: "nearest"}); }
    else input.removeAttribute("aria-activedescendant");
  }
  function go(li) { window.location.href = li.getAttribute("data-url"); }
  function render(data) {
    list.textContent = ""; items = []; active = -1;
    data.suggestions.forEach(function (s, k) {
      var li = document.createElement("li");
      li.id = "q-option-" + k; li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
      li.setAttribute("data-url", s.url);
      var name = document.createElement("span");
      name.textContent = s.label;  // textContent: labels from the graph are never parsed as HTML
      if (s.matched !== s.label) {
        var m = document.createElement("span"); m.className = "s-match"; m.textContent = " (" + s.matched + ")"; name.appendChild(m);
      }
      var type = document.createElement("span"); type.className = "s-type"; type.textContent = s.type;
      li.appendChild(name); li.appendChild(type);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); go(li); });
      list.appendChild(li); items.push(li);
    });
    var open = items.length > 0;
    list.hidden = !open; input.setAttribute("aria-expanded", open ? "true" : "false");
  }
  function fetchSuggestions() {
    var q = input.value.trim();
    if (!q) { close(); return; }
    var ticket = ++latest;
    fetch(url + "?q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
      .then(function (data) { if (ticket === latest) render(data); })
      .catch(function () { close(); });
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fetchSuggestions, 120); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && items.length) { e.preventDefault(); highlight((active + 1) % items.length); }
    else if (e.key === "ArrowUp" && items.length) { e.preventDefault(); highlight(active <= 0 ? items.length - 1 : active - 1); }
    else if (e.key === "Enter" && active >= 0) { e.preventDefault(); go(items[active]); }
    else if (e.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
