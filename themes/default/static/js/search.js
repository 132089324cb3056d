// Full-text search over the index pactgen writes at build time (search/docs.js and one shard
// of terms per first character, search/t-*.js). Shards are scripts, not JSON, so search also
// works from file://. The query stays in the URL (?q=...), so a search can be shared.
(function () {
  "use strict";
  var root = new URL("../", document.currentScript.src);
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !results) return;
  var docs = null;
  var shards = {};
  var pending = {};
  var STOP = "the and of to in for on a an by with as at is are be or its it this that from which will has have was were their these such into also not".split(" ");

  window.pactgenSearch = {
    docs: function (d) { docs = d; },
    terms: function (c, t) { shards[c] = t; }
  };

  function load(name) {
    if (!pending[name]) {
      pending[name] = new Promise(function (resolve) {
        var s = document.createElement("script");
        s.src = new URL("search/" + name + ".js", root).href;
        s.onload = resolve;
        s.onerror = resolve; // a missing shard means no term starts with that character
        document.head.appendChild(s);
      });
    }
    return pending[name];
  }

  function terms(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .split(/[^a-z0-9]+/).filter(function (w) { return w.length >= 2 && STOP.indexOf(w) === -1; });
  }

  function score(words) {
    var total = null;
    words.forEach(function (word) {
      var shard = shards[word[0]] || {};
      var found = {};
      Object.keys(shard).forEach(function (term) {
        if (term.indexOf(word) !== 0) return;
        var postings = shard[term], exact = term === word ? 2 : 1;
        for (var i = 0; i < postings.length; i += 2) {
          found[postings[i]] = (found[postings[i]] || 0) + postings[i + 1] * exact;
        }
      });
      if (total === null) { total = found; return; }
      var both = {};
      Object.keys(total).forEach(function (d) { if (found[d]) both[d] = total[d] + found[d]; });
      total = both;
    });
    return total || {};
  }

  function show(query) {
    var words = terms(query);
    results.textContent = "";
    if (!words.length) { status.textContent = ""; return; }
    var needed = ["docs"];
    words.forEach(function (w) { if (needed.indexOf("t-" + w[0]) === -1) needed.push("t-" + w[0]); });
    Promise.all(needed.map(load)).then(function () {
      if (input.value !== query) return; // a newer query is on its way
      var scores = score(words);
      var ranked = Object.keys(scores).sort(function (a, b) { return scores[b] - scores[a] || a - b; });
      status.textContent = ranked.length === 1 ? "1 result found." : ranked.length + " results found.";
      ranked.slice(0, 50).forEach(function (d) {
        var doc = docs[d];
        var li = document.createElement("li");
        var a = document.createElement("a");
        var href = new URL(doc[0], root);
        // From file:// a folder URL shows a directory listing: name its index.html.
        if (href.protocol === "file:" && /\/$/.test(href.pathname)) href.pathname += "index.html";
        a.href = href.href;
        a.textContent = doc[1];
        var kind = document.createElement("span");
        kind.className = "meta";
        kind.textContent = " " + doc[2];
        li.appendChild(a);
        li.appendChild(kind);
        if (doc[3]) {
          var p = document.createElement("p");
          p.textContent = doc[3];
          li.appendChild(p);
        }
        results.appendChild(li);
      });
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = new URL(window.location.href);
      if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url.pathname + url.search);
      show(input.value);
    }, 120);
  });
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
  });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; show(initial); }
})();
