// Search in a real browser, on a built site, from disk (file://) and from a server that hosts it
// under /briefing/: typing a word into the search page shows linked results and says how many;
// a result followed with the keyboard lands on its section; `?q=` runs its search; the header's
// search box leads to the search page with the results; axe finds nothing on the page with
// results shown; the deck's and search's scripts, as the site ships them, are under 15 KB
// minified together (terser). Usage: node tests/browser/search.mjs SITE_DIR [WORD]
import { check, CHROMIUM, haveAll, launch, runSuite } from "./harness.mjs";
import AxeBuilder from "@axe-core/playwright";
import { minify } from "terser";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";

const site = path.resolve(process.argv[2] || "public");
const word = process.argv[3] || "incubate";
const BASE = "/briefing/";
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml" };

/** A static server for the site under BASE. */
function serve() {
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    rel = rel.startsWith(BASE) ? rel.slice(BASE.length) : "\0";
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const file = path.resolve(site, rel);
    if (!file.startsWith(site + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      return res.end("missing");
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function open(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (err) => problems.push(err.message));
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(msg.text()); });
  await page.goto(url, { waitUntil: "load" });
  return { page, problems };
}

/** The status line and the results' links once the status says something. */
async function results(page) {
  await page.waitForFunction(() => document.getElementById("search-status").textContent !== "");
  const status = await page.locator("#search-status").textContent();
  const hrefs = await page.locator("#search-results a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  return { status, hrefs };
}

async function typing(context, mode, root) {
  const { page, problems } = await open(context, `${root}search/index.html`);
  // Keyboard only: the skip link, then on through the header to the page's search field.
  for (let i = 0; i < 40 && (await page.evaluate(() => document.activeElement.id)) !== "search-q"; i++) {
    await page.keyboard.press("Tab");
  }
  check((await page.evaluate(() => document.activeElement.id)) === "search-q", `${mode}: the search field is reached with Tab`);
  await page.keyboard.type(word);
  const { status, hrefs } = await results(page);
  check(hrefs.length > 0 && /\d/.test(status), `${mode}: typing "${word}" lists ${hrefs.length} results, status "${status}"`);
  // Before axe, which reads the stylesheets itself (a CORS error from file://).
  check(problems.length === 0, `${mode}: no script errors`, problems.join("\n"));
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  check(axe.violations.length === 0, `${mode}: no axe-core violations with results shown`,
    axe.violations.map((v) => `${v.id}: ${v.help}`).join("\n"));
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement.getAttribute("href"));
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
  const landed = new URL(page.url());
  const target = landed.hash ? await page.locator(decodeURIComponent(landed.hash).replace(/^#/, "[id='") + "']").count() : 1;
  check(focused && target === 1 && !landed.pathname.endsWith("search/index.html"),
    `${mode}: Enter on the first result (${focused}) lands on its section`, `landed on ${page.url()}`);
  await page.close();
}

async function linked(context, mode, root) {
  const { page } = await open(context, `${root}search/index.html?q=${encodeURIComponent(word)}`);
  const { hrefs } = await results(page);
  check(hrefs.length > 0 && (await page.inputValue("#search-q")) === word, `${mode}: ?q=${word} runs the search (${hrefs.length} results)`);
  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `${mode}: the search page with results fits 375 px`, `${overflow}px too wide`);
  await page.close();
  const home = (await open(context, `${root}index.html`)).page;
  await home.locator("header input[name=q]").fill(word);
  await Promise.all([home.waitForNavigation({ waitUntil: "load" }), home.locator("header input[name=q]").press("Enter")]);
  const found = await results(home);
  check(home.url().includes("search/index.html?q=") && found.hrefs.length > 0, `${mode}: the header's search box leads to the results`, home.url());
  await home.close();
}

/** The site's own scripts (not the index, which is data) minified together stay small. */
async function scriptSizes() {
  const files = ["search.js", "slides.js"];
  const sizes = [];
  for (const file of files) {
    const { code } = await minify(fs.readFileSync(path.join(site, file), "utf8"), { compress: true, mangle: true });
    sizes.push(Buffer.byteLength(code));
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  const each = files.map((f, i) => `${f} ${sizes[i]} B`).join(", ");
  check(total < 15 * 1024, `the deck's and search's scripts are ${total} bytes minified (${each}), under 15 KB`);
}

async function main() {
  if (!haveAll("the search browser test", [CHROMIUM, path.join(site, "search/index.js")])) return;
  await scriptSizes();
  const server = await serve();
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const roots = [["file", pathToFileURL(site).href + "/"], ["http", `http://127.0.0.1:${server.address().port}${BASE}`]];
    for (const [mode, root] of roots) {
      await typing(context, mode, root);
      await linked(context, mode, root);
    }
    await context.close();
  } finally {
    await browser.close();
    server.close();
  }
}

runSuite("search", main);
