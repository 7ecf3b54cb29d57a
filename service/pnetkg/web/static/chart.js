// A bar chart for the query editor's results, drawn as SVG on this page. YASR's own chart plugin
// loads Google Charts from another site, which this service neither depends on nor allows (CSP).
// It charts the first column whose every value is a number, labelled by the first other column.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var MAX_BARS = 60;

  function isNumber(cell) {
    return !!cell && cell.type !== "uri" && cell.value.trim() !== "" && isFinite(Number(cell.value));
  }

  function shortLabel(cell) {
    if (!cell) return "";
    if (cell.type !== "uri") return cell.value;
    var cut = Math.max(cell.value.lastIndexOf("/"), cell.value.lastIndexOf("#"));
    return cell.value.slice(cut + 1) || cell.value;
  }

  function element(name, attributes, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined) node.textContent = text;  // text, never markup: values come from the graph
    return node;
  }

  class BarChart {
    constructor(yasr) {
      this.yasr = yasr;
      this.label = "Chart";
      this.priority = 1;  // the table stays the default view
    }

    columns() {
      var results = this.yasr.results;
      if (!results || !results.getVariables || !results.getBindings) return null;
      var variables = results.getVariables() || [];
      var rows = results.getBindings() || [];
      if (!rows.length) return null;
      var value = variables.find(function (v) { return rows.every(function (r) { return isNumber(r[v]); }); });
      if (!value) return null;
      return { value: value, label: variables.find(function (v) { return v !== value; }), rows: rows };
    }

    canHandleResults() {
      return this.columns() !== null;
    }

    draw() {
      var c = this.columns();
      var rows = c.rows.slice(0, MAX_BARS);
      var values = rows.map(function (r) { return Number(r[c.value].value); });
      var top = Math.max.apply(null, values.map(Math.abs).concat([1e-12]));
      var barHeight = 22, labelWidth = 220, plotWidth = 420, width = labelWidth + plotWidth + 80;
      var svg = element("svg", {
        class: "result-chart", role: "img", width: width, height: rows.length * barHeight + 30,
        viewBox: "0 0 " + width + " " + (rows.length * barHeight + 30),
        "aria-label": c.value + (c.label ? " by " + c.label : ""),
      });
      svg.appendChild(element("text", { x: labelWidth, y: 14, class: "axis" }, c.value));
      rows.forEach(function (row, i) {
        var y = 24 + i * barHeight, length = Math.abs(values[i]) / top * plotWidth;
        var name = c.label ? shortLabel(row[c.label]) : String(i + 1);
        svg.appendChild(element("text", { x: labelWidth - 6, y: y + 14, "text-anchor": "end" }, name));
        var bar = element("rect", { x: labelWidth, y: y + 3, width: Math.max(length, 1), height: barHeight - 6 });
        bar.appendChild(element("title", {}, name + ": " + row[c.value].value));
        svg.appendChild(bar);
        svg.appendChild(element("text", { x: labelWidth + length + 4, y: y + 14 }, row[c.value].value));
      });
      var box = document.createElement("div");
      box.className = "result-chart-box";
      box.appendChild(svg);
      if (c.rows.length > MAX_BARS) {
        var note = document.createElement("p");
        note.textContent = "The first " + MAX_BARS + " of " + c.rows.length + " rows.";
        box.appendChild(note);
      }
      this.yasr.resultsEl.appendChild(box);
    }

    getIcon() {
      var icon = document.createElement("span");
      icon.textContent = "\u2586";
      return icon;
    }
  }

  Yasgui.Yasr.registerPlugin("chart", BarChart);
})();
