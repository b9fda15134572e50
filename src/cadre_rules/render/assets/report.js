/* cadre-rules HTML report: sortable tables and the district filter. No network, no library. */
(function () {
  "use strict";
  var root = document.documentElement;
  var collator = new Intl.Collator(root.lang || "vi", { numeric: true, sensitivity: "base" });

  function cellKey(cell) {
    var key = cell.getAttribute("data-sort");
    return key === null ? cell.textContent.trim() : key;
  }

  function number(text) {
    var value = parseFloat(text);
    return isNaN(value) ? -Infinity : value;
  }

  function sortBy(th) {
    var table = th.closest("table");
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.hasAttribute("data-numeric");
    var direction = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, i) { if (!row.hasAttribute("data-i")) { row.setAttribute("data-i", String(i)); } });
    rows.sort(function (a, b) {
      var x = cellKey(a.cells[index]);
      var y = cellKey(b.cells[index]);
      var order = numeric ? number(x) - number(y) : collator.compare(x, y);
      if (order === 0) {
        return Number(a.getAttribute("data-i")) - Number(b.getAttribute("data-i"));
      }
      return order * direction;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) { fragment.appendChild(row); });
    body.appendChild(fragment);
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable thead th"), function (th) {
    th.tabIndex = 0;
    th.addEventListener("click", function () { sortBy(th); });
    th.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(th); }
    });
  });

  var filter = document.getElementById("district-filter");
  if (filter) {
    filter.addEventListener("change", function () {
      var chosen = filter.value;
      Array.prototype.forEach.call(document.querySelectorAll("[data-district]"), function (element) {
        element.hidden = chosen !== "" && element.getAttribute("data-district") !== chosen;
        if (chosen !== "" && !element.hidden && element.tagName === "DETAILS") { element.open = true; }
      });
    });
  }
  root.setAttribute("data-ready", "1");

  // Printing opens every collapsed section (print.css cannot), and closes them again afterwards.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
}());
