// Commitments filter: instant filtering with the state in the URL (?type=policy&transformation=3a).
// Without JavaScript the same links lead to pre-built filtered pages.
(function () {
  "use strict";
  var list = document.getElementById("commitment-list");
  var nav = document.getElementById("facets");
  if (!list || !nav) return;
  var items = Array.prototype.slice.call(list.children);
  var links = Array.prototype.slice.call(nav.querySelectorAll("a[data-facet]"));
  var status = document.getElementById("filter-status");
  var reset = document.getElementById("facet-reset");
  var total = items.length;

  function readState() {
    var state = {};
    new URLSearchParams(window.location.search).forEach(function (value, key) {
      value.split(",").forEach(function (v) {
        if (!v) return;
        (state[key] = state[key] || {})[v] = true;
      });
    });
    return state;
  }

  function writeState(state) {
    var params = new URLSearchParams();
    Object.keys(state).sort().forEach(function (facet) {
      var values = Object.keys(state[facet]).sort();
      if (values.length) params.set(facet, values.join(","));
    });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  function apply(state) {
    var shown = 0;
    items.forEach(function (li) {
      var visible = Object.keys(state).every(function (facet) {
        var wanted = Object.keys(state[facet]);
        if (!wanted.length) return true;
        var have = (li.getAttribute("data-" + facet) || "").split(" ");
        return wanted.some(function (w) { return have.indexOf(w) !== -1; });
      });
      li.hidden = !visible;
      if (visible) shown++;
    });
    var active = 0;
    links.forEach(function (a) {
      var on = !!(state[a.dataset.facet] && state[a.dataset.facet][a.dataset.value]);
      a.setAttribute("aria-pressed", on ? "true" : "false");
      a.classList.toggle("active", on);
      if (on) active++;
    });
    status.textContent = shown + " of " + total + " commitments" + (active ? " match the filters." : ".");
    reset.parentNode.hidden = active === 0;
  }

  var state = readState();
  links.forEach(function (a) {
    a.setAttribute("role", "button");
    a.addEventListener("click", function (event) {
      event.preventDefault();
      var facet = a.dataset.facet, value = a.dataset.value;
      state[facet] = state[facet] || {};
      if (state[facet][value]) delete state[facet][value]; else state[facet][value] = true;
      writeState(state);
      apply(state);
    });
    a.addEventListener("keydown", function (event) {
      if (event.key === " ") { event.preventDefault(); a.click(); }
    });
  });
  reset.addEventListener("click", function () {
    state = {};
    writeState(state);
    apply(state);
  });
  apply(state);
})();
