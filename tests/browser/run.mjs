// The browser suite: every page of a built site, opened in Debian's Chromium (driven by
// Playwright) both from disk (file://) and from a local server that hosts the site under the
// subpath /briefing/, as GitHub Pages does for a project site. For each page and mode: no console
// errors, no failed or 4xx/5xx requests, zero axe-core violations at WCAG 2.1 AA, no horizontal
// overflow at 375 px, exactly one h1; then a click-through of every navigation link, the 404 page
// at a nested missing URL, the home page's metric cards and diagram, and screenshots at 375 and
// 1280 px in tests/browser/artifacts/. Usage: node tests/browser/run.mjs SITE_DIR
import { artifacts, check, CHROMIUM, haveAll, launch, runSuite } from "./harness.mjs";
import AxeBuilder from "@axe-core/playwright";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const BASE_PATH = "/briefing/";
const here = path.dirname(fileURLToPath(import.meta.url));

const site = path.resolve(process.argv[2] || path.join(here, "../../public"));

/** Every .html file of the site, as a /-separated path relative to it. */
function pages(dir, prefix = "") {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix + entry.name;
    if (entry.isDirectory()) out.push(...pages(path.join(dir, entry.name), rel + "/"));
    else if (entry.name.endsWith(".html")) out.push(rel);
  }
  return out;
}

const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8", ".xml": "application/xml",
  ".png": "image/png", ".js": "text/javascript; charset=utf-8", ".json": "application/json" };

/** A static server for `root` under BASE_PATH; missing files get the site's 404.html. */
function serve(root) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    const notFound = () => {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(fs.readFileSync(path.join(root, "404.html")));
    };
    if (!url.pathname.startsWith(BASE_PATH)) return notFound();
    let rel = decodeURIComponent(url.pathname.slice(BASE_PATH.length));
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return notFound();
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Open `url` and collect console errors and failed requests while it loads. */
async function open(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console: ${msg.text()}`); });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on("response", (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
  const response = await page.goto(url, { waitUntil: "load" });
  return { page, problems, response };
}

async function checkPage(context, mode, url, rel) {
  const { page, problems } = await open(context, url);
  const is404 = rel === "404.html";
  check(problems.length === 0, `${mode} ${rel}: no console errors or failed requests`, problems.join("\n"));
  const h1 = await page.locator("h1").count();
  check(h1 === 1, `${mode} ${rel}: exactly one h1`, `found ${h1}`);
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  check(axe.violations.length === 0, `${mode} ${rel}: no axe-core violations (WCAG 2.1 AA)`,
    axe.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).join("\n  ")}`).join("\n"));
  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `${mode} ${rel}: no horizontal overflow at 375 px`, `${overflow}px too wide`);
  if (mode === "http") {
    const name = rel.replace(/\//g, "_").replace(/\.html$/, "");
    await page.screenshot({ path: path.join(artifacts, `${name}-375.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(artifacts, `${name}-1280.png`), fullPage: true });
  }
  if (!is404) await clickThrough(context, mode, url, rel);
  await page.close();
}

/** Click every navigation link of the page and check the target loads. */
async function clickThrough(context, mode, url, rel) {
  const { page } = await open(context, url);
  const links = await page.locator("header nav a, .site-title").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  for (const [i, href] of links.entries()) {
    const { page: p } = await open(context, url);
    const target = p.locator("header nav a, .site-title").nth(i);
    const [response] = await Promise.all([
      p.waitForNavigation({ waitUntil: "load" }).catch(() => null),
      target.click(),
    ]);
    const landed = p.url();
    const title = await p.title();
    const ok = (mode === "file" || (response && response.status() < 400)) && title.length > 0 &&
      !landed.startsWith("chrome-error:") && (await p.locator("h1").count()) === 1;
    check(ok, `${mode} ${rel}: nav link ${href} opens ${landed.replace(/^.*?(briefing\/|public\/|site\/)/, "")}`,
      `landed on ${landed} (title "${title}", status ${response && response.status()})`);
    await p.close();
  }
  await page.close();
}

async function main() {
  if (!haveAll("the browser suite", [CHROMIUM])) return;
  const all = pages(site);
  check(all.includes("index.html") && all.length >= 6, `the site has its pages (${all.join(", ")})`);
  const server = await serve(site);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    for (const rel of all) {
      await checkPage(context, "file", pathToFileURL(path.join(site, rel)).href, rel);
      await checkPage(context, "http", `${origin}${BASE_PATH}${rel}`, rel);
    }
    await homeShowsTheBriefing(context, pathToFileURL(path.join(site, "index.html")).href);
    await notFoundAtDepth(context, `${origin}${BASE_PATH}a/b/c/missing`);
    await context.close();
  } finally {
    await browser.close();
    server.close();
  }
}

async function homeShowsTheBriefing(context, url) {
  const { page } = await open(context, url);
  await page.setViewportSize({ width: 375, height: 800 });
  const diagram = page.locator("svg[role=img]").first();
  check(await diagram.isVisible(), "home (file://): the three-horizon diagram is visible at 375 px");
  check((await diagram.locator("title").count()) === 1, "home: the diagram has a <title>");
  const cards = await page.locator(".metric").evaluateAll((els) => els.filter((e) => e.offsetParent !== null).length);
  check(cards >= 4, `home (file://): ${cards} metric cards are visible`);
  const text = await page.locator("main").innerText();
  check(text.includes("1.07") && text.includes("27"), "home: the key figures are on the page");
  await page.close();
}

async function notFoundAtDepth(context, url) {
  const { page, response } = await open(context, url);
  check(response && response.status() === 404, "a nested missing URL under the subpath answers 404", `status ${response && response.status()}`);
  const styled = await page.evaluate(() => {
    const h1 = document.querySelector("h1");
    return h1 && getComputedStyle(document.body).margin === "0px" && getComputedStyle(h1).fontSize === "32px";
  });
  check(styled, "the 404 page's styles apply at a nested URL");
  check((await page.locator("h1").count()) === 1, "the 404 page has its heading");
  await page.close();
}

runSuite("the browser suite", main);
