// Filters of the commitments index (/commitments/), with the state in the URL
// (?type=policy&transformation=3a): Back and Forward step through the choices.
//
// - Facets combine: a commitment is shown when it has the chosen value of every facet set.
//   One value per facet: choosing another value of a facet replaces its value; choosing the
//   chosen value again clears it.
// - Every count says how many commitments the list shows when that value is chosen, with the
//   other facets as they are; a value that would show none is disabled.
// - The list is not in the page (it is paginated): the data comes from files written at build
//   time, loaded on demand as scripts (they work from file:// too): commitments/filter/facets.js
//   (each value's commitments, as positions in the index's order) and items-N.js (the list
//   items, pre-rendered, 25 a file). Matches are shown a page at a time ("Show more").
// Without JavaScript the panel's links lead to one page per filter value.
(function () {
  "use strict";
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var VALUE = {};
  for (var i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charAt(i)] = i;

  // The commitments of one value, from its encoding in facets.js (see src/render/filter.rs:
  // "b" and a bitmap, 6 positions a character, or "d" and the gaps between positions in
  // groups of 5 bits), as a bit set over positions 0 .. total - 1. Also used by
  // tests/browser/decode.mjs to check it against the Rust encoder.
  function decode(text, total) {
    var words = new Uint32Array((total + 31) >>> 5);
    var k, p;
    if (text.charAt(0) === "b") {
      for (k = 1; k < text.length; k++) {
        var bits = VALUE[text.charAt(k)];
        for (var j = 0; j < 6; j++) {
          p = (k - 1) * 6 + j;
          if (bits & (1 << j) && p < total) words[p >>> 5] |= 1 << (p & 31);
        }
      }
    } else {
      var n = 0, scale = 1, next = 0;
      for (k = 1; k < text.length; k++) {
        var v = VALUE[text.charAt(k)];
        if (v >= 32) { n += (v - 32) * scale; scale *= 32; continue; }
        p = next + n + v * scale;
        if (p < total) words[p >>> 5] |= 1 << (p & 31);
        next = p + 1; n = 0; scale = 1;
      }
    }
    return words;
  }

  // The positions in a bit set, ascending.
  function positionsOf(words) {
    var out = [];
    for (var k = 0; k < words.length; k++) {
      var w = words[k];
      while (w) {
        var low = w & -w;
        out.push(k * 32 + 31 - Math.clz32(low));
        w ^= low;
      }
    }
    return out;
  }

  var api = window.pactgenFilter = {
    decode: function (text, total) { return positionsOf(decode(text, total)); }
  };

  var browser = document.getElementById("commitment-browser");
  var list = document.getElementById("commitment-list");
  var nav = document.getElementById("facets");
  var details = document.getElementById("filters");
  if (!browser || !list || !nav || !details || !browser.getAttribute("data-filter")) return;
  var facetsUrl = new URL(browser.getAttribute("data-filter"), document.baseURI).href;
  var status = document.getElementById("filter-status");
  var empty = document.getElementById("filter-empty");
  var setCount = document.getElementById("filter-count");
  var reset = document.getElementById("facet-reset");
  var more = document.getElementById("filter-more");
  var pager = document.getElementById("pager");
  var links = Array.prototype.slice.call(nav.querySelectorAll("a[data-facet]"));
  var original = {
    items: Array.prototype.slice.call(list.children),
    status: status.textContent,
    counts: links.map(function (a) { return a.querySelector(".count").textContent; })
  };
  // Wide screens: the panel is open, beside the list.
  var wide = window.matchMedia("(min-width: 64em)");
  function layout() { browser.classList.toggle("sidebar", wide.matches && details.open); }
  if (wide.matches) details.open = true;
  layout();
  details.addEventListener("toggle", layout);
  if (wide.addEventListener) wide.addEventListener("change", function () { if (wide.matches) details.open = true; layout(); });

  // ---------------------------------------------------------------------------------------
  // Data files, loaded as scripts that call back.

  var data = null;        // the facets file's data
  var facets = {};        // name -> {label, values: slug -> [slug, label, count, positions]}
  var sets = {};          // "facet\u0000slug" -> Uint32Array bit set
  var chunks = {};        // item file number -> [html]
  var loading = {};
  api.facets = function (d) { data = d; };
  api.items = function (n, html) { chunks[n] = html; };

  function script(url) {
    if (!loading[url]) {
      loading[url] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = url;
        s.onload = resolve;
        s.onerror = function () { delete loading[url]; reject(new Error("cannot load " + url)); };
        document.head.appendChild(s);
      });
    }
    return loading[url];
  }

  function loadFacets() {
    return script(facetsUrl).then(function () {
      if (!data) throw new Error("no filter data in " + facetsUrl);
      if (Object.keys(facets).length) return;
      data.facets.forEach(function (f) {
        var values = {};
        f.values.forEach(function (v) { values[v[0]] = v; });
        facets[f.name] = { label: f.label, values: values };
      });
    });
  }

  function loadItems(positions) {
    var needed = {};
    positions.forEach(function (p) { needed[Math.floor(p / data.perFile)] = true; });
    return Promise.all(Object.keys(needed).map(function (n) {
      return chunks[n] ? null : script(new URL("items-" + n + ".js", facetsUrl).href);
    }));
  }

  // The commitments with one value, as a bit set over positions (decoded once).
  function setOf(facet, slug) {
    var key = facet + "\u0000" + slug;
    if (!sets[key]) {
      var value = facets[facet] && facets[facet].values[slug];
      sets[key] = decode(value ? value[3] : "d", data.total);
    }
    return sets[key];
  }

  function and(a, b) {
    if (!a) return b;
    var out = new Uint32Array(a.length);
    for (var k = 0; k < a.length; k++) out[k] = a[k] & b[k];
    return out;
  }

  function countAnd(a, b) {
    var c = 0;
    for (var k = 0; k < a.length; k++) {
      var x = b ? a[k] & b[k] : a[k];
      x = x - ((x >>> 1) & 0x55555555);
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      c += Math.imul((x + (x >>> 4)) & 0x0F0F0F0F, 0x01010101) >>> 24;
    }
    return c;
  }

  // ---------------------------------------------------------------------------------------
  // State: the chosen values, in the order they were chosen, as in the URL.

  function readState() {
    var state = [];
    new URLSearchParams(window.location.search).forEach(function (value, facet) {
      var slug = value.split(",")[0];
      if (!slug) return;
      state = state.filter(function (s) { return s.facet !== facet; });
      state.push({ facet: facet, slug: slug });
    });
    return state;
  }

  function urlOf(state) {
    var params = state.map(function (s) {
      return encodeURIComponent(s.facet) + "=" + encodeURIComponent(s.slug);
    }).join("&");
    return window.location.pathname + (params ? "?" + params : "") + window.location.hash;
  }

  function labelOf(s) {
    var f = facets[s.facet];
    var v = f && f.values[s.slug];
    return (f ? f.label : s.facet) + ": " + (v ? v[1] : s.slug);
  }

  function digits(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }

  var state = readState();
  var shown = 0;          // matches shown in the list
  var matches = [];       // positions of the matching commitments
  var generation = 0;     // the newest apply(); older ones stop when they see it changed

  function announce(ms) {
    browser.setAttribute("data-filter-state", "ready");
    browser.dispatchEvent(new CustomEvent("pactgen-filtered", { detail: { ms: ms, matches: matches.length, shown: shown } }));
  }

  function showOriginal(t0) {
    list.textContent = "";
    original.items.forEach(function (li) { list.appendChild(li); });
    status.textContent = original.status;
    links.forEach(function (a, n) {
      a.querySelector(".count").textContent = original.counts[n];
      a.setAttribute("aria-pressed", "false");
      a.removeAttribute("aria-disabled");
      a.removeAttribute("tabindex");
    });
    if (pager) pager.hidden = false;
    more.parentNode.hidden = true;
    empty.hidden = true;
    reset.parentNode.hidden = true;
    setCount.textContent = "(none set)";
    matches = [];
    shown = original.items.length;
    announce(performance.now() - t0);
  }

  // Updates the panel and the list for `state`; resolves when the list shows it.
  function apply() {
    var t0 = performance.now();
    var mine = ++generation;
    if (!state.length) { showOriginal(t0); return Promise.resolve(); }
    browser.setAttribute("data-filter-state", "loading");
    return loadFacets().then(function () {
      if (mine !== generation) return;
      // Facet names the data does not know are not filters (another query parameter).
      state = state.filter(function (s) { return facets[s.facet]; });
      if (!state.length) { showOriginal(t0); return; }
      var masks = state.map(function (s) { return setOf(s.facet, s.slug); });
      var all = masks.reduce(function (acc, m) { return and(acc, m); }, null);
      var others = {};
      links.forEach(function (a, n) {
        var facet = a.getAttribute("data-facet"), slug = a.getAttribute("data-value");
        if (!(facet in others)) {
          others[facet] = state.reduce(function (acc, s, k) {
            return s.facet === facet ? acc : and(acc, masks[k]);
          }, null);
        }
        var chosen = state.some(function (s) { return s.facet === facet && s.slug === slug; });
        var count = others[facet] ? countAnd(setOf(facet, slug), others[facet]) : Number(original.counts[n].replace(/\D/g, ""));
        a.querySelector(".count").textContent = "(" + digits(count) + ")";
        a.setAttribute("aria-pressed", chosen ? "true" : "false");
        if (count === 0 && !chosen) {
          a.setAttribute("aria-disabled", "true");
          a.setAttribute("tabindex", "-1");
        } else {
          a.removeAttribute("aria-disabled");
          a.removeAttribute("tabindex");
        }
      });
      matches = positionsOf(all);
      shown = 0;
      list.textContent = "";
      if (pager) pager.hidden = true;
      reset.parentNode.hidden = false;
      setCount.textContent = "(" + state.length + " set)";
      var described = state.map(labelOf).join(" and ");
      if (!matches.length) {
        status.textContent = "No commitment has " + described + ".";
        showEmpty();
        more.parentNode.hidden = true;
        announce(performance.now() - t0);
        return;
      }
      empty.hidden = true;
      // The count is known before the items arrive.
      status.textContent = digits(matches.length) + " commitment" + (matches.length === 1 ? "" : "s") + " with " + described + "; loading the list…";
      return showMore(mine, described).then(function () {
        if (mine === generation) announce(performance.now() - t0);
      });
    }).catch(function (err) {
      if (mine !== generation) return;
      status.textContent = "The filter could not load its data (" + err.message + "). Each filter value's link leads to its own page.";
      browser.setAttribute("data-filter-state", "failed");
      failed = true;
    });
  }

  // Appends the next page of matches.
  function showMore(mine, described) {
    var next = matches.slice(shown, shown + data.pageSize);
    return loadItems(next).then(function () {
      if (mine !== generation) return;
      var first = null;
      next.forEach(function (p) {
        var html = (chunks[Math.floor(p / data.perFile)] || [])[p % data.perFile];
        if (html === undefined) return;
        list.insertAdjacentHTML("beforeend", html);
        if (!first) first = list.lastElementChild;
      });
      shown += next.length;
      more.parentNode.hidden = shown >= matches.length;
      status.textContent = "Showing " + (shown < matches.length ? digits(shown) + " of " : "") +
        digits(matches.length) + " commitment" + (matches.length === 1 ? "" : "s") + " with " + described + ".";
      return first;
    });
  }

  // The explicit empty state (reached from a URL: the panel never offers a dead end).
  function showEmpty() {
    empty.textContent = "";
    empty.hidden = false;
    var last = state[state.length - 1];
    empty.appendChild(document.createTextNode("No commitment matches these filters together. "));
    var undo = document.createElement("button");
    undo.type = "button";
    undo.id = "filter-undo";
    undo.textContent = "Remove " + labelOf(last);
    undo.addEventListener("click", function () { choose(last.facet, last.slug); });
    empty.appendChild(undo);
    if (state.length > 1) {
      empty.appendChild(document.createTextNode(" "));
      var all = document.createElement("button");
      all.type = "button";
      all.textContent = "Clear all filters";
      all.addEventListener("click", clear);
      empty.appendChild(all);
    }
  }

  var failed = false;

  function choose(facet, slug) {
    var had = state.some(function (s) { return s.facet === facet && s.slug === slug; });
    state = state.filter(function (s) { return s.facet !== facet; });
    if (!had) state.push({ facet: facet, slug: slug });
    window.history.pushState(null, "", urlOf(state));
    return apply();
  }

  function clear() {
    state = [];
    window.history.pushState(null, "", urlOf(state));
    return apply();
  }

  links.forEach(function (a) {
    a.setAttribute("role", "button");
    a.setAttribute("aria-pressed", "false");
    a.addEventListener("click", function (event) {
      if (failed) return; // the link's own page
      event.preventDefault();
      if (a.getAttribute("aria-disabled") === "true") return;
      choose(a.getAttribute("data-facet"), a.getAttribute("data-value"));
    });
    a.addEventListener("keydown", function (event) {
      if (event.key === " ") { event.preventDefault(); a.click(); }
    });
  });
  reset.addEventListener("click", clear);
  more.addEventListener("click", function () {
    var mine = generation;
    showMore(mine, state.map(labelOf).join(" and ")).then(function (first) {
      var link = first && first.querySelector("a");
      if (link) link.focus();
    });
  });
  window.addEventListener("popstate", function () {
    state = readState();
    apply();
  });
  api.apply = apply;
  if (state.length) apply(); else browser.setAttribute("data-filter-state", "ready");
})();
