// Lighthouse on every page of a built site, served over http: each of performance,
// accessibility, best practices and SEO must score 100, and an audit that keeps one under is
// named. Debian's Chromium, headless, on the desktop preset (the pages are read at a desk and
// presented; the mobile layout is checked by the browser suite at 375 px).
// Usage: node tests/browser/lighthouse.mjs SITE_DIR
import { check, CHROMIUM, haveAll, runSuite } from "./harness.mjs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktop from "lighthouse/core/config/desktop-config.js";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

const site = path.resolve(process.argv[2] || "public");
// What a page is meant to fail: the not-found page asks not to be indexed (`noindex`).
const MEANT = { "404.html": ["is-crawlable"] };
// The desktop preset, with shorter waits for a quiet page: a built page makes no request
// after its load, and each second saved is saved on every page.
const CONFIG = {
  ...desktop,
  settings: {
    ...desktop.settings,
    pauseAfterFcpMs: 250,
    pauseAfterLoadMs: 250,
    networkQuietThresholdMs: 250,
    cpuQuietThresholdMs: 250,
  },
};
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".svg": "image/svg+xml", ".png": "image/png", ".txt": "text/plain", ".xml": "application/xml",
  ".ico": "image/x-icon", ".webmanifest": "application/manifest+json",
};

/** A static server for the site at the root, as a host serves it. */
function serve() {
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://x").pathname).slice(1);
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const file = path.resolve(site, rel);
    if (!file.startsWith(site + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      return res.end(fs.readFileSync(path.join(site, "404.html")));
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Every HTML page of the site, relative to it. */
function pages(dir, rel = "") {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = path.posix.join(rel, e.name);
    if (e.isDirectory()) return pages(dir, r);
    return e.name.endsWith(".html") ? [r] : [];
  }).sort();
}

/** The audits that cost a category points, but those the page is `meant` to fail. */
function losses(lhr, category, meant) {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0 && !meant.includes(ref.id))
    .map((ref) => lhr.audits[ref.id])
    .filter((audit) => audit.score !== null && audit.score < 1)
    .map((audit) => `${audit.id}: ${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ""}`);
}

async function main() {
  if (!haveAll("Lighthouse", [CHROMIUM, path.join(site, "index.html")])) return;
  const server = await serve();
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  try {
    const root = `http://127.0.0.1:${server.address().port}/`;
    for (const rel of pages(site)) {
      const url = root + rel;
      const options = { port: chrome.port, output: "json", logLevel: "error", onlyCategories: CATEGORIES };
      const { lhr } = await lighthouse(url, options, CONFIG);
      const scores = CATEGORIES.map((c) => Math.round((lhr.categories[c].score ?? 0) * 100));
      console.log(`     ${rel}: ${CATEGORIES.map((c, i) => `${c} ${scores[i]}`).join(", ")}`);
      const meant = MEANT[rel] || [];
      for (const [i, category] of CATEGORIES.entries()) {
        const lost = losses(lhr, category, meant);
        const what = `${rel}: Lighthouse ${category} is 100${scores[i] < 100 && !lost.length ? ` but for ${meant.join(", ")}` : ""}`;
        check(scores[i] === 100 || !lost.length, what, lost.join("\n"));
      }
    }
  } finally {
    await chrome.kill();
    server.close();
  }
}

runSuite("lighthouse", main);
