// The query editor: YASGUI on this service's endpoint, with the project's example queries.
(function () {
  "use strict";
  var host = document.getElementById("yasgui");
  var endpoint = new URL(host.dataset.endpoint, window.location.href).href;
  // The opening query's prefixes; their IRIs come with the graph's list below.
  var opening = ["pnet", "e", "rdfs", "skos"];
  var start = host.dataset.query ||
    "SELECT ?drug ?label WHERE {\n  ?drug a pnet:MTORInhibitor ; rdfs:label ?label .\n}";

  // The graph's prefixes (prefix -> namespace), served by this service from the build's own map.
  var graphPrefixes = fetch(host.dataset.prefixes).then(function (r) {
    if (!r.ok) throw new Error("the graph's prefixes: HTTP " + r.status);
    return r.json();
  });
  // PREFIX lines are completed from the graph's list rather than YASQE's bundled one, which lacks
  // pnet: and the identifier vocabularies. persistenceId null: the stock completer keeps its list in
  // localStorage for 30 days, so a changed list would go unseen.
  Yasgui.Yasqe.forkAutocompleter("prefixes", {
    name: "graph-prefixes",
    persistenceId: null,
    get: function () {
      return graphPrefixes.then(function (map) {
        return Object.keys(map).sort().map(function (p) { return p + ": <" + map[p] + ">"; });
      });
    },
  }, false);
  // Only completers that stay on this page: the stock property and class completers ask
  // lov.linkeddata.es, which the Content-Security-Policy refuses and an offline service cannot reach.
  // Set on the defaults, not in Yasgui's config, whose deep merge would mix the two lists by index.
  Yasgui.Yasqe.defaults.autocompleters = ["variables", "graph-prefixes"];

  var yasgui = new Yasgui(host, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
  });
  var tab = yasgui.getTab();
  tab.setEndpoint(endpoint);
  tab.setQuery(start);
  var yasqe = tab.getYasqe();
  var untouched = yasqe.getValue();
  graphPrefixes.then(function (map) {
    if (yasqe.getValue() !== untouched) return;  // the person has moved on: leave their query alone
    var declare = {};
    opening.forEach(function (p) { if (map[p]) declare[p] = map[p]; });
    yasqe.addPrefixes(declare);
  }).catch(function (error) { console.warn(error); });

  fetch(host.dataset.examples).then(function (r) { return r.json(); }).then(function (examples) {
    var list = document.getElementById("examples");
    examples.forEach(function (example) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = example.question;
      button.title = example.name;
      button.addEventListener("click", function () {
        var current = yasgui.getTab();
        current.setQuery(example.query);
        current.query();
      });
      item.appendChild(button);
      list.appendChild(item);
    });
  });
})();
