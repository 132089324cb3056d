// Full-text search over the index pactgen writes at build time (docs/search.md):
// search/meta.js (the tokenizer's rules, the kinds, the shard list), postings shards
// search/p<i>.js loaded for the words of a query, vocabularies search/f<n>.js for typos, and
// one file per record shown, search/r/<i>.js. All are scripts, not JSON, so search also works
// from file://; nothing is evaluated but those files (CSP `default-src 'self'`). The query and
// the kind filter stay in the URL (?q=...&kind=...), so a search can be shared.
//
// Ranking: BM25 over the fields (weights computed at build time), every word of the query
// required; a prefix of a longer term counts (while typing), an unknown word of 5+ letters is
// corrected (one edit, two from 9 letters) and the correction offered as "did you mean"; a
// query equal to a record's ID or acronym lists that record first; kinds a reader usually
// wants go ahead of self-reports, sections and documents of about the same score.
(function () {
  "use strict";

  // -------------------------------------------------------------------------------------------
  // The tokenizer: the rules are the index's (src/search/tokenize.rs writes them into
  // search/meta.js); tests/search_tokenizer.rs runs this against the Rust one.

  var WORD_CHAR = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]/u;
  var ASCII_WORD_CHAR = /[A-Za-z0-9]/;

  function Tokenizer(rules) {
    this.fold = rules.fold;
    this.stop = new Set(rules.stopwords);
    this.suffixes = rules.suffixes;
    this.min = rules.minLength;
    this.max = rules.maxLength;
  }

  // Calls f(word, chars, start, end) for each folded word of text (start and end: offsets in
  // text).
  Tokenizer.prototype.words = function (text, f) {
    var word = "", chars = 0, start = 0;
    for (var i = 0; i < text.length;) {
      var cp = text.codePointAt(i), c = String.fromCodePoint(cp), piece = null;
      if (cp < 128) {
        if (ASCII_WORD_CHAR.test(c)) piece = c.toLowerCase();
      } else if (Object.prototype.hasOwnProperty.call(this.fold, c)) {
        piece = this.fold[c];
      } else if (cp <= 0xffff && WORD_CHAR.test(c)) {
        piece = c.toLowerCase();
      }
      if (piece === null) {
        if (word) f(word, chars, start, i);
        word = "";
        chars = 0;
      } else {
        if (!word) start = i;
        word += piece;
        chars += Array.from(piece).length;
      }
      i += c.length;
    }
    if (word) f(word, chars, start, text.length);
  };

  // The term of a folded word, or null (a stopword, too short or too long).
  Tokenizer.prototype.term = function (word, chars) {
    var digit = chars === 1 && word >= "0" && word <= "9";
    if (((chars < this.min || chars > this.max) && !digit) || this.stop.has(word)) return null;
    for (var k = 0; k < this.suffixes.length; k++) {
      var r = this.suffixes[k];
      if (chars >= r[3] && word.endsWith(r[0]) && !r[1].some(function (u) { return word.endsWith(u); })) {
        return word.slice(0, word.length - r[0].length) + r[2];
      }
    }
    return word;
  };

  // The terms of text, each {term, start, end}.
  Tokenizer.prototype.terms = function (text) {
    var out = [], self = this;
    this.words(text, function (w, chars, start, end) {
      var t = self.term(w, chars);
      if (t !== null) out.push({ term: t, start: start, end: end });
    });
    return out;
  };

  // In Node.js (the tokenizer test), export the tokenizer and stop.
  if (typeof module === "object" && module.exports) {
    module.exports = { Tokenizer: Tokenizer };
    return;
  }

  // -------------------------------------------------------------------------------------------
  // Loading the index

  var script = document.currentScript;
  var root = new URL("../", script.src);
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var suggest = document.getElementById("search-suggest");
  var kindsBox = document.getElementById("search-kinds");
  var more = document.getElementById("search-more");
  if (!input || !results || !status) return;

  var PAGE = 20;            // results shown at a time
  var PREFIX = 0.7;         // a prefix of a longer term counts this much of a whole term
  var PREFIX_BYTES = 160000; // the most postings loaded to complete one word
  var KIND_PRIOR = [1, 0.95, 0.9]; // score factor by kind rank (near ties go to rank 0)
  var SNIPPET = 220;        // characters of text under a result

  var meta = null, tokenizer = null;
  var shards = {}, vocabularies = {}, records = {}, pending = {};

  window.pactgenSearch = {
    meta: function (m) { meta = m; tokenizer = new Tokenizer(m.rules); },
    postings: function (i, terms, codes) { shards[i] = { terms: terms, codes: codes, decoded: {} }; },
    vocabulary: function (n, list) { vocabularies[n] = list; },
    record: function (i, r) { records[i] = r; }
  };

  function load(name) {
    if (!pending[name]) {
      pending[name] = new Promise(function (resolve) {
        var s = document.createElement("script");
        s.src = new URL("search/" + name + ".js", root).href;
        s.onload = resolve;
        s.onerror = resolve; // reported by the browser; the search goes on without it
        document.head.appendChild(s);
      });
    }
    return pending[name];
  }
  function loadAll(names) { return Promise.all(names.map(load)); }

  // The shard that holds term (the last whose first term is not after it), or -1.
  function shardOf(term) {
    var s = meta.shards, lo = 0, hi = s.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (s[mid] <= term) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  // The shards that may hold terms starting with prefix, or null when they are more than
  // PREFIX_BYTES.
  function prefixShards(prefix) {
    var s = meta.shards, first = Math.max(0, shardOf(prefix)), out = [], bytes = 0;
    var end = prefix + "\uffff";
    for (var i = first; i < s.length && (i === first || s[i] < end); i++) {
      out.push(i);
      bytes += meta.shardBytes[i];
    }
    return bytes > PREFIX_BYTES ? null : out;
  }

  // A term's postings: {docs, weights}, decoded once (see src/search/index.rs).
  var DIGIT = {};
  "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_".split("").forEach(function (c, i) { DIGIT[c] = i; });
  function postings(shard, term) {
    var sh = shards[shard];
    if (!sh || !Object.prototype.hasOwnProperty.call(sh.terms, term)) return null;
    if (sh.decoded[term]) return sh.decoded[term];
    var s = sh.terms[term], nums = [], n = 0, shift = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s[i]];
      if (d >= 32) { n += (d - 32) * Math.pow(2, shift); shift += 5; } else { nums.push(n + d * Math.pow(2, shift)); n = 0; shift = 0; }
    }
    var docs = [], weights = [], doc = 0;
    for (var k = 0; k < nums.length; k += 2) {
      doc += nums[k];
      docs.push(doc);
      weights.push(nums[k + 1]);
    }
    return (sh.decoded[term] = { docs: docs, weights: weights });
  }

  function idf(df) {
    return Math.log(1 + (meta.records - df + 0.5) / (df + 0.5));
  }

  // -------------------------------------------------------------------------------------------
  // Searching

  // The words of a query: [{term, prefix (may complete a longer term), start, end}].
  function queryWords(query) {
    return tokenizer.terms(query).map(function (w) {
      return { term: w.term, prefix: Array.from(w.term).length >= 3, start: w.start, end: w.end };
    });
  }

  // The files a query's words need.
  function filesFor(words) {
    var names = [];
    words.forEach(function (w) {
      var list = w.prefix ? prefixShards(w.term) : null;
      w.complete = !!list; // complete the word only when its range of terms is loaded whole
      if (!list) { var i = shardOf(w.term); list = i >= 0 ? [i] : []; }
      w.shards = list;
      list.forEach(function (i) { if (names.indexOf("p" + i) < 0) names.push("p" + i); });
    });
    return names;
  }

  // Each word's matches: word.hits = Map doc -> score, word.terms = terms found. A word counts
  // as its own term (with that term's IDF) and, while typing, as the longer terms it begins
  // (PREFIX times their weight, with the IDF of all the records they are in together: a rare
  // completion must not outrank the common one the reader is typing).
  function match(words) {
    words.forEach(function (w) {
      var hits = new Map(), terms = [];
      var add = function (p, weight) {
        for (var k = 0; k < p.docs.length; k++) {
          var s = weight * p.weights[k], d = p.docs[k];
          if (!(hits.get(d) >= s)) hits.set(d, s);
        }
      };
      var exact = shardOf(w.term), own = exact >= 0 ? postings(exact, w.term) : null;
      if (own) { terms.push(w.term); add(own, idf(own.docs.length) / meta.scale); }
      if (w.complete) {
        var longer = [], union = new Set(own ? own.docs : []);
        w.shards.forEach(function (i) {
          Object.keys(shards[i] ? shards[i].terms : {}).forEach(function (t) {
            if (t === w.term || !t.startsWith(w.term)) return;
            var p = postings(i, t);
            longer.push(p);
            terms.push(t);
            p.docs.forEach(function (d) { union.add(d); });
          });
        });
        var weight = PREFIX * idf(union.size) / meta.scale;
        longer.forEach(function (p) { add(p, weight); });
      }
      w.hits = hits;
      w.terms = terms;
    });
  }

  function kindOf(doc) {
    var ks = meta.kinds;
    for (var i = 0; i < ks.length; i++) if (doc < ks[i][3] + ks[i][4]) return i;
    return ks.length - 1;
  }

  // Ranks the records that have every word (or the most words when none has all).
  function rank(words) {
    var codes = {}, key = words.map(function (w) { return w.term; }).join(" ");
    var first = shardOf(words[0].term);
    ((shards[first] && shards[first].codes[key]) || []).forEach(function (d) { codes[d] = true; });
    var score = new Map(), count = new Map();
    words.forEach(function (w) {
      w.hits.forEach(function (s, d) {
        score.set(d, (score.get(d) || 0) + s);
        count.set(d, (count.get(d) || 0) + 1);
      });
    });
    Object.keys(codes).forEach(function (d) { d = +d; if (!count.has(d)) { count.set(d, words.length); score.set(d, 0); } });
    var most = 0;
    count.forEach(function (c) { if (c > most) most = c; });
    var docs = [];
    count.forEach(function (c, d) { if (c === most) docs.push(d); });
    var value = {};
    docs.forEach(function (d) { value[d] = score.get(d) * KIND_PRIOR[meta.kinds[kindOf(d)][5]]; });
    docs.sort(function (a, b) {
      return (codes[b] ? 1 : 0) - (codes[a] ? 1 : 0) || value[b] - value[a] || a - b;
    });
    return { docs: docs, all: most === words.length, codes: codes };
  }

  // Optimal string alignment distance (a transposition is one edit), or max + 1 when above max.
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], cur;
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var low = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur.push(v);
        if (v < low) low = v;
      }
      if (low > max) return max + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length];
  }

  // Edits allowed in a word of n letters.
  function edits(n) { return n >= 9 ? 2 : n >= 5 ? 1 : 0; }

  // The vocabularies the unknown words of a query need.
  function vocabularyFiles(words) {
    var names = [];
    words.forEach(function (w) {
      var n = Array.from(w.term).length, k = edits(n);
      if (w.hits.size || !k || /[0-9]/.test(w.term)) return;
      for (var len = n - k; len <= n + k; len++) {
        if (meta.vocabulary.indexOf(len) >= 0 && names.indexOf("f" + len) < 0) names.push("f" + len);
      }
    });
    return names;
  }

  // The closest known term to each unknown word (fewest edits, then the most records).
  function corrections(words) {
    var changed = false;
    var fixed = words.map(function (w) {
      var n = Array.from(w.term).length, k = edits(n);
      if (w.hits.size || !k || /[0-9]/.test(w.term)) return w;
      var best = null, bestD = k + 1, bestDf = -1;
      for (var len = n - k; len <= n + k; len++) {
        var list = vocabularies[len] || [];
        for (var i = 0; i < list.length; i += 2) {
          var d = distance(w.term, list[i], Math.min(k, bestD));
          if (d < bestD || (d === bestD && d <= k && list[i + 1] > bestDf)) { best = list[i]; bestD = d; bestDf = list[i + 1]; }
        }
      }
      if (best === null || bestD > k) return w;
      changed = true;
      return { term: best, prefix: false, start: w.start, end: w.end, corrected: true };
    });
    return changed ? fixed : null;
  }

  // -------------------------------------------------------------------------------------------
  // Showing results

  function recordHref(path) {
    var href = new URL(path, root);
    // From file:// a folder URL shows a directory listing: name its index.html.
    if (href.protocol === "file:" && /\/$/.test(href.pathname)) href.pathname += "index.html";
    return href.href;
  }

  // Appends text to el with the words whose term is in marked wrapped in <mark>.
  function appendMarked(el, text, marked) {
    var at = 0;
    tokenizer.terms(text).forEach(function (w) {
      if (!marked.has(w.term)) return;
      if (w.start > at) el.appendChild(document.createTextNode(text.slice(at, w.start)));
      var m = document.createElement("mark");
      m.textContent = text.slice(w.start, w.end);
      el.appendChild(m);
      at = w.end;
    });
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
  }

  // The passage of text with the most query words close together, cut on word boundaries.
  function snippet(text, words) {
    var all = [];
    tokenizer.words(text, function (w, chars, start, end) { all.push({ term: tokenizer.term(w, chars), start: start, end: end }); });
    if (!all.length) return "";
    var which = all.map(function (t) {
      for (var q = 0; q < words.length; q++) if (t.term !== null && words[q].terms.indexOf(t.term) >= 0) return q;
      return -1;
    });
    var best = 0, bestScore = -1, span = 30;
    for (var i = 0; i < all.length; i++) {
      if (which[i] < 0) continue;
      var seen = {}, distinct = 0, hits = 0;
      for (var j = i; j < Math.min(all.length, i + span); j++) {
        if (which[j] < 0) continue;
        hits++;
        if (!seen[which[j]]) { seen[which[j]] = true; distinct++; }
      }
      var s = distinct * 1000 + hits;
      if (s > bestScore) { bestScore = s; best = i; }
    }
    var from = Math.max(0, best - 4), start = all[from].start, end = start;
    for (var k = from; k < all.length && all[k].end - start <= SNIPPET; k++) end = all[k].end;
    if (end === start) end = Math.min(text.length, start + SNIPPET);
    return (from > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  var current = null; // {query, words, ranked, kind, shown}

  function plural(n, one, many) { return n === 1 ? "1 " + one : n.toLocaleString("en") + " " + many; }

  function filtered() {
    if (!current.kind) return current.ranked.docs;
    return current.ranked.docs.filter(function (d) { return meta.kinds[kindOf(d)][0] === current.kind; });
  }

  function renderKinds() {
    if (!kindsBox) return;
    kindsBox.textContent = "";
    var counts = {};
    current.ranked.docs.forEach(function (d) { var k = kindOf(d); counts[k] = (counts[k] || 0) + 1; });
    var kinds = Object.keys(counts).map(Number).sort(function (a, b) { return a - b; });
    kindsBox.hidden = kinds.length < 2;
    if (kinds.length < 2) return;
    var button = function (name, label, n) {
      var b = document.createElement("button");
      b.type = "button";
      b.setAttribute("aria-pressed", String((current.kind || "") === name));
      b.appendChild(document.createTextNode(label + " "));
      var c = document.createElement("span");
      c.className = "count";
      c.textContent = "(" + n.toLocaleString("en") + ")";
      b.appendChild(c);
      b.addEventListener("click", function () {
        current.kind = name || null;
        setUrl();
        renderKinds();
        renderList(true);
      });
      kindsBox.appendChild(b);
    };
    button("", "All", current.ranked.docs.length);
    kinds.forEach(function (k) { button(meta.kinds[k][0], meta.kinds[k][2], counts[k]); });
  }

  function renderList(reset) {
    var docs = filtered();
    // The previous results stay until this query's records have loaded: the list never
    // blinks empty between two queries.
    if (reset) current.shown = 0;
    var page = docs.slice(current.shown, current.shown + PAGE);
    var query = current.query, answered = current;
    var marked = new Set();
    current.words.forEach(function (w) { w.terms.forEach(function (t) { marked.add(t); }); });
    return loadAll(page.map(function (d) { return "r/" + d; })).then(function () {
      if (current !== answered) return;
      if (reset) results.textContent = "";
      page.forEach(function (d) {
        var r = records[d];
        if (!r) return;
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = recordHref(r[0]);
        appendMarked(a, r[1], marked);
        var kind = document.createElement("span");
        kind.className = "search-kind";
        kind.textContent = meta.kinds[kindOf(d)][1];
        li.appendChild(a);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(kind);
        var text = snippet(r[2], current.words);
        if (text) {
          var p = document.createElement("p");
          appendMarked(p, text, marked);
          li.appendChild(p);
        }
        results.appendChild(li);
      });
      current.shown += page.length;
      if (more) more.hidden = current.shown >= docs.length;
      results.setAttribute("data-answered", query);
    });
  }

  function clear() {
    current = null;
    results.textContent = "";
    results.removeAttribute("data-answered");
    status.textContent = "";
    if (suggest) { suggest.textContent = ""; suggest.hidden = true; }
    if (kindsBox) { kindsBox.textContent = ""; kindsBox.hidden = true; }
    if (more) more.hidden = true;
  }

  function showSuggestion(query, words) {
    if (!suggest) return "";
    var text = "", at = 0;
    words.forEach(function (w) {
      if (!w.corrected) return;
      text += query.slice(at, w.start) + w.term;
      at = w.end;
    });
    text += query.slice(at);
    suggest.textContent = "";
    suggest.appendChild(document.createTextNode("No record matches “" + query + "”. Did you mean "));
    var a = document.createElement("a");
    a.href = "?q=" + encodeURIComponent(text);
    a.textContent = text;
    a.addEventListener("click", function (event) {
      event.preventDefault();
      input.value = text;
      setUrl();
      show(text);
    });
    suggest.appendChild(a);
    suggest.appendChild(document.createTextNode("? Showing its results."));
    suggest.hidden = false;
    return text;
  }

  function show(query, kind) {
    if (!meta) {
      load("meta").then(function () { if (meta) show(query, kind); });
      return;
    }
    var words = queryWords(query);
    if (!words.length) { clear(); return; }
    var files = filesFor(words);
    loadAll(files).then(function () {
      if (input.value !== query) return; // a newer query is on its way
      var started = performance.now();
      match(words);
      var ranked = rank(words);
      var shownWords = words, corrected = false;
      var finish = function () {
        current = { query: query, words: shownWords, ranked: ranked, kind: kind === undefined ? (current && current.query === query ? current.kind : null) : kind, shown: 0 };
        if (suggest) { if (!corrected) { suggest.textContent = ""; suggest.hidden = true; } }
        var n = ranked.docs.length;
        if (current.kind && !filtered().length) current.kind = null;
        status.textContent = n
          ? plural(n, "record", "records") + " found" + (ranked.all ? "." : " with some of the words (none has them all).")
          : "No record found.";
        renderKinds();
        renderList(true).then(function () {
          performance.measure("pactgen-search", { start: started, end: performance.now() });
        });
      };
      if (ranked.all && ranked.docs.length) return finish();
      // Nothing has every word: correct the unknown words, if any.
      loadAll(vocabularyFiles(words)).then(function () {
        if (input.value !== query) return;
        var fixed = corrections(words);
        if (!fixed) return finish();
        return loadAll(filesFor(fixed)).then(function () {
          if (input.value !== query) return;
          match(fixed);
          var again = rank(fixed);
          if (again.docs.length && (again.all || !ranked.docs.length)) {
            ranked = again;
            shownWords = fixed;
            corrected = true;
            showSuggestion(query, fixed);
          }
          finish();
        });
      });
    });
  }

  function setUrl() {
    var url = new URL(window.location.href);
    if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
    if (current && current.kind && current.query === input.value) url.searchParams.set("kind", current.kind); else url.searchParams.delete("kind");
    window.history.replaceState(null, "", url.pathname + url.search);
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      setUrl();
      show(input.value);
    }, 120);
  });
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    setUrl();
    show(input.value);
  });
  if (more) {
    more.addEventListener("click", function () { if (current) renderList(false); });
  }
  var params = new URLSearchParams(window.location.search);
  var initial = params.get("q");
  if (initial) { input.value = initial; show(initial, params.get("kind")); } else load("meta");
})();
