// Real-browser test of `briefing serve`: headless Chromium opens a served page; the test edits
// the Markdown and the page updates by itself; a broken edit shows the error overlay; a fix
// clears it. Run after `cargo build`: node tests/browser/serve.mjs
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const CHROMIUM = "/usr/bin/chromium";
const WAIT = 10_000;
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(repo, "target/debug/briefing");

const BASE = `<!doctype html><html><head><meta charset="utf-8"><title>{{ config.title }}</title></head>
<body><main>{% block main %}{% endblock %}</main></body></html>`;
const SECTION = `{% extends "base.html" %}{% block main %}<h1>{{ section.title }}</h1>{{ section.content | safe }}{% endblock %}`;
const PAGE = `{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1>{{ page.content | safe }}{% endblock %}`;
const page = (title, body) => `+++\ntitle = "${title}"\n+++\n${body}\n`;

/** A small site in a fresh temp dir. */
function writeSite() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "briefing-browser-"));
  const files = {
    "site.toml": 'title = "Browser fixture"\n',
    "templates/base.html": BASE,
    "templates/index.html": SECTION,
    "templates/section.html": SECTION,
    "templates/page.html": PAGE,
    "content/_index.md": page("Home", "Welcome."),
    "content/a.md": page("A", "First draft."),
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** Start `briefing serve --port 0` and resolve with the URL it prints. */
function startServer(root) {
  const child = spawn(bin, ["serve", "--port", "0", "--root", root], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL in ${WAIT} ms:\n${output}`)), WAIT);
    const read = (chunk) => {
      output += chunk;
      const found = output.match(/http:\/\/\S+/);
      if (found) {
        clearTimeout(timer);
        resolve(found[0]);
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  return { child, url };
}

let passed = 0;
let failed = 0;
async function check(name, body) {
  try {
    await body();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`FAILED - ${name}\n  ${String(err.stack || err).split("\n").join("\n  ")}`);
  }
}

function must(condition, message) {
  if (!condition) throw new Error(message);
}

async function run() {
  const root = writeSite();
  const edit = (text) => fs.writeFileSync(path.join(root, "content/a.md"), text);
  const { child, url } = startServer(root);
  let browser;
  try {
    const base = await url;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const tab = await browser.newPage();
    const overlay = tab.locator("#briefing-error-overlay");

    await check("the served page shows the Markdown", async () => {
      await tab.goto(new URL("a/", base).href);
      await tab.getByText("First draft.").waitFor({ timeout: WAIT });
      // Let the event stream connect before the edit.
      await tab.waitForTimeout(300);
    });
    await check("an edit shows up without any action from the test", async () => {
      edit(page("A", "Second draft."));
      await tab.getByText("Second draft.").waitFor({ timeout: WAIT });
    });
    await check("a broken front matter shows the overlay with the file and line", async () => {
      edit('+++\ntitle = "<b>A\n+++\nThird draft.\n');
      await overlay.waitFor({ timeout: WAIT });
      const text = await overlay.innerText();
      must(text.includes("content/a.md:2"), `overlay text: ${text}`);
      must(text.includes('"<b>A'), `the error is shown as text: ${text}`);
      must((await overlay.locator("b").count()) === 0, "the error was parsed as HTML");
      must(await tab.getByText("Second draft.").isVisible(), "the last good page stays");
    });
    await check("the overlay can be dismissed", async () => {
      await overlay.getByRole("button", { name: "Dismiss" }).click();
      await overlay.waitFor({ state: "detached", timeout: WAIT });
    });
    await check("a page opened while the site is broken shows the overlay", async () => {
      await tab.reload();
      await overlay.waitFor({ timeout: WAIT });
    });
    await check("the fix clears the overlay and shows the new text", async () => {
      edit(page("A", "Fixed draft."));
      await tab.getByText("Fixed draft.").waitFor({ timeout: WAIT });
      await overlay.waitFor({ state: "detached", timeout: WAIT });
    });
  } catch (err) {
    failed += 1;
    console.log(`FAILED - setup\n  ${err.stack || err}`);
  } finally {
    if (browser) await browser.close();
    child.kill("SIGTERM");
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (!fs.existsSync(CHROMIUM)) {
  if (process.env.CI) {
    console.log(`${CHROMIUM} is missing (install Debian's chromium package)\n0 passed, 1 failed`);
    process.exit(1);
  }
  console.log(`\n*** SKIPPED: ${CHROMIUM} is missing; apt-get install chromium to run the browser test ***\n`);
  process.exit(0);
}
if (!fs.existsSync(bin)) {
  console.log(`${bin} is missing: run cargo build first\n0 passed, 1 failed`);
  process.exit(1);
}
const deadline = setTimeout(() => {
  console.log(`FAILED - the whole test took over 60 s\n${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, 60_000);
await run();
clearTimeout(deadline);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
