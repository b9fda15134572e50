/* cadre-rules HTML report: sortable tables, the district filter, the section by person. No network, no library. */
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

  // The section by person: the page carries each finding once, in the findings' tables; the section's rows are
  // built from those rows (taken here, before any sorting) and its data block when it is first opened or printed.
  var findingRows = Array.prototype.slice.call(document.querySelectorAll("#findings tbody tr"));
  var personData = document.getElementById("by-person-data");
  var personBuilt = false;

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) { made.className = className; }
    if (text !== undefined) { made.textContent = text; }
    return made;
  }

  function numberCell(n, thousands) {  // written as the page writes its counts (1.546 in Vietnamese); sorted by n
    var cell = element("td", "num", String(n).replace(/\B(?=(\d{3})+(?!\d))/g, thousands));
    cell.setAttribute("data-sort", String(n));
    return cell;
  }

  function officialId(subject) {  // the text before "(official)": "<name><br>ID <span class=muted>"
    var text = subject.lastChild.previousSibling.nodeValue;
    return text.slice(0, -1);
  }

  function ruleLabel(cell, shared) {  // "name<br><small>id</small>" or "id" -> "name (id)" or "id"
    var small = cell.querySelector("small");
    var shown = small ? small.textContent : cell.textContent;
    var id = Object.prototype.hasOwnProperty.call(shared, shown) ? shared[shown] : shown;
    return small ? cell.firstChild.nodeValue + " (" + id + ")" : id;
  }

  function personRow(entry, n, data) {
    var rows = entry.slice(1).map(function (k) { return findingRows[k]; });
    var first = rows[0];
    var group = first.closest("details.group");
    var district = group ? group.getAttribute("data-district") : null;
    var row = document.createElement("tr");
    if (district) { row.setAttribute("data-district", district); }
    row.appendChild(numberCell(n, data.thousands));
    var official = document.createElement("td");
    var subject = first.cells[2];
    if (entry[0] > 0) {
      official.appendChild(element("span", "name", subject.querySelector(".name").textContent.slice(0, entry[0])));
      official.appendChild(document.createElement("br"));
    }
    official.appendChild(document.createTextNode(officialId(subject)));
    row.appendChild(official);
    row.appendChild(element("td", "", first.cells[3].textContent));
    if (data.districts) { row.appendChild(element("td", "", district || "")); }
    row.appendChild(first.cells[0].cloneNode(true));
    row.appendChild(numberCell(rows.length, data.thousands));
    var list = element("ol", "person-findings");
    rows.forEach(function (found) {
      var severity = found.cells[0].className.replace("sev-", "");
      var item = document.createElement("li");
      item.appendChild(element("span", "sev-" + severity, data.severity[severity]));
      item.appendChild(document.createTextNode(": " + found.cells[4].textContent));
      item.appendChild(document.createElement("br"));
      item.appendChild(element("small", "muted", ruleLabel(found.cells[1], data.rules)));
      list.appendChild(item);
    });
    var findings = document.createElement("td");
    findings.appendChild(list);
    row.appendChild(findings);
    return row;
  }

  function buildByPerson() {
    if (personBuilt || !personData) { return; }
    personBuilt = true;
    var data = JSON.parse(personData.textContent);
    var fragment = document.createDocumentFragment();
    var chosen = filter ? filter.value : "";
    data.people.forEach(function (entry, i) {
      var row = personRow(entry, i + 1, data);
      row.hidden = chosen !== "" && row.getAttribute("data-district") !== chosen;
      fragment.appendChild(row);
    });
    document.querySelector("#by-person tbody").appendChild(fragment);
  }

  if (personData) {
    var personSection = personData.closest("details");
    personSection.addEventListener("toggle", function () { if (personSection.open) { buildByPerson(); } });
    if (personSection.open) { buildByPerson(); }
  }
  root.setAttribute("data-ready", "1");

  // Printing opens every collapsed section (print.css cannot), and closes them again afterwards.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    buildByPerson();
    opened = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
}());
