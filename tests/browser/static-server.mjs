// A tiny static server for the browser tests: serves a built site on 127.0.0.1 (random port)
// with the theme's promised `Content-Security-Policy: default-src 'self'`, folder URLs as
// their index.html, and the site's 404 page. Shared by run.mjs, search-relevance.mjs and
// scripts/search-bench.mjs.

import fs from "node:fs";
import http from "node:http";
import path from "node:path";

export const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".csv": "text/csv; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".pdf": "application/pdf",
};
export const CSP = "default-src 'self'";

/// Serves `root`. `pages` maps extra paths to HTML (test pages beside the site); `onSend` is
/// called with (pathname, bytes sent) for every answered request.
export function serve(root, { pages = {}, onSend = () => {} } = {}) {
  const server = http.createServer((req, res) => {
    let pathname = "";
    const send = (status, body, type, extra = {}) => {
      res.writeHead(status, { "Content-Type": type, "Content-Security-Policy": CSP, "Cache-Control": "no-cache", ...extra });
      res.end(req.method === "HEAD" ? undefined : body);
      onSend(pathname, req.method === "HEAD" || !body ? 0 : Buffer.byteLength(body));
    };
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      return send(400, "bad request", TYPES[".txt"]);
    }
    if (pages[pathname]) return send(200, pages[pathname], TYPES[".html"]);
    let file = path.join(root, pathname);
    if (!file.startsWith(root + path.sep) && file !== root) return send(403, "forbidden", TYPES[".txt"]);
    try {
      if (fs.statSync(file).isDirectory()) {
        if (!pathname.endsWith("/")) return send(301, "", TYPES[".txt"], { Location: pathname + "/" });
        file = path.join(file, "index.html");
      }
      const body = fs.readFileSync(file);
      return send(200, body, TYPES[path.extname(file)] || "application/octet-stream");
    } catch {
      const notFound = path.join(root, "404.html");
      return fs.existsSync(notFound)
        ? send(404, fs.readFileSync(notFound), TYPES[".html"])
        : send(404, "not found", TYPES[".txt"]);
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/// Chromium's launch options for the tests (Debian's Chromium, `$CHROMIUM` to override).
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
