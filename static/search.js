// Search from disk: the index (search/index.js, written by `briefing build`) is a script, so
// this works opened from file:// as well as served. A query is split into terms by the rules
// of src/search/terms.rs; a part matches when every term is a prefix of one of its terms, and
// parts matching whole terms come first. `?q=` in the page's URL runs that search.
(function () {
  var I = window.BRIEFING_SEARCH, form = document.getElementById("search-form");
  if (!I || !form) return;
  var input = document.getElementById("search-q"), status = document.getElementById("search-status"),
    list = document.getElementById("search-results"), keys = Object.keys(I.t), cache = {};
  var CJK = /[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/, WORD = /[\p{Alphabetic}\p{N}]/u;
  function terms(text) {
    var out = [], word = "", run = [];
    function endWord() { if (word && word.length <= 40) out.push(word); word = ""; }
    function endRun() {
      if (run.length == 1) out.push(run[0]);
      for (var i = 1; i < run.length; i++) out.push(run[i - 1] + run[i]);
      run = [];
    }
    for (var c of text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()) {
      if (WORD.test(c) && CJK.test(c)) { endWord(); run.push(c); }
      else { endRun(); if (WORD.test(c)) word += c; else endWord(); }
    }
    endWord(); endRun();
    return out;
  }
  function parts(key) {
    if (!cache[key]) {
      var n = 0;
      cache[key] = I.t[key].map(function (d) { return (n += d); });
    }
    return cache[key];
  }
  // Each part with a term starting with `term`: 2 for the whole term, else 1.
  function matches(term) {
    var found = new Map();
    keys.forEach(function (k) {
      if (k.startsWith(term)) parts(k).forEach(function (p) { found.set(p, Math.max(found.get(p) || 0, k == term ? 2 : 1)); });
    });
    return found;
  }
  function search(query) {
    var ts = terms(query), score = null;
    ts.forEach(function (t) {
      var m = matches(t), next = new Map();
      (score || m).forEach(function (s, p) { if (m.has(p)) next.set(p, (score ? s : 0) + m.get(p)); });
      score = next;
    });
    return score ? Array.from(score).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; }) : [];
  }
  function show(query) {
    var found = query.trim() ? search(query) : [];
    list.textContent = "";
    found.slice(0, 100).forEach(function (f) {
      var s = I.s[f[0]], page = I.p[s[0]], li = document.createElement("li"), a = document.createElement("a"), p;
      a.href = page[0] + (s[1] ? "#" + s[1] : "");
      a.textContent = s[2] && s[2] != page[1] ? page[1] + " › " + s[2] : page[1];
      li.appendChild(a);
      if (s[3]) { p = document.createElement("p"); p.textContent = s[3]; li.appendChild(p); }
      list.appendChild(li);
    });
    var d = status.dataset;
    status.textContent = !query.trim() ? "" : found.length == 0 ? d.none : found.length == 1 ? d.one : d.many.replace("{n}", found.length);
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  input.addEventListener("input", run);
  function run() {
    show(input.value);
    try { history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); } catch (e) { /* file:// may refuse */ }
  }
  input.value = new URLSearchParams(location.search).get("q") || "";
  if (input.value) show(input.value);
})();
