// pactgen live preview. Served as a file (/__pactgen/live.js), never inline, so pages keep
// working under a Content-Security-Policy of `default-src 'self'`. It listens to the preview
// server's events: `reload` reloads the page, `css` swaps stylesheets in place, `error` shows the
// build's diagnostics in an overlay (as text only: textContent, never innerHTML), `ok` removes it.
(function () {
  "use strict";
  if (!window.EventSource) {
    return;
  }
  var OVERLAY_ID = "__pactgen-overlay";

  function removeOverlay() {
    var old = document.getElementById(OVERLAY_ID);
    if (old && old.parentNode) {
      old.parentNode.removeChild(old);
    }
  }

  function element(tag, text, style) {
    var el = document.createElement(tag);
    if (text) {
      el.textContent = text;
    }
    if (style) {
      Object.assign(el.style, style);
    }
    return el;
  }

  function showOverlay(payload) {
    var data;
    try {
      data = JSON.parse(payload);
    } catch (e) {
      data = { diagnostics: [], text: String(payload) };
    }
    removeOverlay();
    var box = element("div", "", {
      position: "fixed",
      top: "0",
      right: "0",
      bottom: "0",
      left: "0",
      zIndex: "2147483647",
      overflow: "auto",
      padding: "2rem",
      background: "rgba(24, 24, 27, 0.96)",
      color: "#f4f4f5",
      font: "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
      textAlign: "left"
    });
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    var diags = Array.isArray(data.diagnostics) ? data.diagnostics : [];
    var errors = diags.filter(function (d) { return d.severity === "error"; }).length;
    box.appendChild(element("h2", "pactgen: the last change does not build (" + errors +
      (errors === 1 ? " error" : " errors") + ")", { margin: "0 0 1rem", font: "bold 18px sans-serif", color: "#fca5a5" }));
    diags.forEach(function (d) {
      var where = d.file ? d.file + (d.line ? ":" + d.line + ":" + d.column : "") : "";
      var item = element("div", "", { margin: "0 0 0.75rem" });
      item.appendChild(element("div", d.severity + "[" + d.code + "]: " + d.message, { fontWeight: "bold" }));
      if (where) {
        item.appendChild(element("div", "  at " + where));
      }
      if (d.field) {
        item.appendChild(element("div", "  field: " + d.field));
      }
      if (d.hint) {
        item.appendChild(element("div", "  help: " + d.hint, { color: "#86efac" }));
      }
      box.appendChild(item);
    });
    if (data.text) {
      box.appendChild(element("pre", data.text, { whiteSpace: "pre-wrap", margin: "1rem 0", padding: "1rem", background: "#000", color: "#e4e4e7" }));
    }
    box.appendChild(element("p", "The preview keeps showing the last good build. Fix the file and save: this overlay disappears.", { color: "#a1a1aa" }));
    var close = element("button", "Dismiss", { cursor: "pointer" });
    close.type = "button";
    close.addEventListener("click", removeOverlay);
    box.appendChild(close);
    document.body.appendChild(box);
  }

  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) {
        return;
      }
      url.searchParams.set("pactgen", String(Date.now()));
      var fresh = link.cloneNode(false);
      fresh.href = url.toString();
      fresh.addEventListener("load", function () {
        if (link.parentNode) {
          link.parentNode.removeChild(link);
        }
      });
      link.parentNode.insertBefore(fresh, link.nextSibling);
    });
  }

  var source = new EventSource("/__pactgen/events");
  source.addEventListener("reload", function () {
    location.reload();
  });
  source.addEventListener("css", swapStylesheets);
  source.addEventListener("ok", removeOverlay);
  source.addEventListener("error", function (event) {
    // EventSource also fires a plain `error` event when the connection drops; only the
    // server's `error` events carry data.
    if (typeof event.data === "string") {
      showOverlay(event.data);
    }
  });
})();
