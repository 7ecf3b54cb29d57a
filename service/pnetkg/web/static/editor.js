// The query editor: YASGUI on this service's endpoint, with the project's example queries.
(function () {
  "use strict";
  var host = document.getElementById("yasgui");
  var endpoint = new URL(host.dataset.endpoint, window.location.href).href;
  var prefixes = {
    pnet: "https://w3id.org/pnet-kg/ontology#",
    e: "https://w3id.org/pnet-kg/entity/",
    rdfs: "http://www.w3.org/2000/01/rdf-schema#",
    skos: "http://www.w3.org/2004/02/skos/core#",
  };
  var start = host.dataset.query ||
    "SELECT ?drug ?label WHERE {\n  ?drug a pnet:MTORInhibitor ; rdfs:label ?label .\n}";
  var yasgui = new Yasgui(host, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
  });
  var tab = yasgui.getTab();
  tab.setEndpoint(endpoint);
  tab.setQuery(start);
  tab.getYasqe().addPrefixes(prefixes);

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
