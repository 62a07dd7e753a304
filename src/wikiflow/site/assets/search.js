// Search as you type over the static site's titles and overviews (search-index.js), or, in
// `wikiflow serve` (no index loaded), a form that the server answers with full-text search.
(function () {
  "use strict";
  var rows = window.wikiflowSearch;
  var form = document.querySelector("form.search");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var list = form.querySelector(".search-results");
  var root = input.getAttribute("data-root") || "";
  var params = new URLSearchParams(window.location.search);
  function words(text) { return text.toLowerCase().split(/\s+/).filter(Boolean); }
  function find(query) {
    var wanted = words(query);
    if (!wanted.length || !rows) { return []; }
    var hits = [];
    for (var i = 0; i < rows.length; i++) {
      var title = rows[i][0].toLowerCase(), text = title + " " + rows[i][3].toLowerCase();
      var all = true, inTitle = true;
      for (var w = 0; w < wanted.length; w++) {
        if (text.indexOf(wanted[w]) < 0) { all = false; break; }
        if (title.indexOf(wanted[w]) < 0) { inTitle = false; }
      }
      if (all) { hits.push([inTitle ? 0 : 1, title.length, rows[i]]); }
    }
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return hits.slice(0, 50).map(function (hit) { return hit[2]; });
  }
  function show(target, hits) {
    target.textContent = "";
    hits.forEach(function (row) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + row[2];
      link.textContent = row[0];
      var kind = document.createElement("span");
      kind.className = "how";
      kind.textContent = " " + (row[1] || "page");
      var text = document.createElement("p");
      text.textContent = row[3];
      item.appendChild(link); item.appendChild(kind); item.appendChild(text);
      target.appendChild(item);
    });
    target.hidden = hits.length === 0;
  }
  if (!rows) { return; }  // served live: the form goes to the server
  input.addEventListener("input", function () { show(list, find(input.value).slice(0, 10)); });
  var page = document.querySelector("main");
  if (params.get("q") && /search\.html$/.test(window.location.pathname)) {
    input.value = params.get("q");
    var results = document.createElement("ul");
    results.className = "list search-page";
    page.appendChild(results);
    show(results, find(params.get("q")));
    if (!results.children.length) { results.hidden = false; results.textContent = "No page matches."; }
  }
})();
