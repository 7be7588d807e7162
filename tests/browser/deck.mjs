// The deck (slides/index.html) in a real browser, opened from disk (file://, no server): the keys
// move and the hash follows, a reload keeps the place, the overview picks a slide by key and by
// click, the speaker notes are never visible to the audience, axe finds nothing, and the presenter
// view (P) opens in a second window showing the current and next slide and the notes, kept in step
// with the audience window both ways. It builds two sites with the given binary: the real
// briefing, and the letters fixture (real shareholder letters and results, 18 metrics) given a
// model of five horizons with speaker notes, as tests/slides.rs does.
// Usage: node tests/browser/deck.mjs [target/debug/briefing]
import { artifacts, check, CHROMIUM, haveAll, launch, runSuite } from "./harness.mjs";
import AxeBuilder from "@axe-core/playwright";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const binary = path.resolve(process.argv[2] || path.join(repo, "target/debug/briefing"));

/** One horizon of the fixture's model, quoting paragraph `para` of Amazon's release. */
function horizon(name, words, quote, para, notes) {
  return `\n[[extra.horizons]]\nname = "${name}"\nwords = "${words}"\nnotes = "${notes}"\n` +
    `[extra.horizons.cite]\nquote = "${quote}"\nsource = "amazon.md"\npara = ${para}\n`;
}

/** Build the real briefing and the five-horizon fixture into a temp dir; their output dirs. */
function build() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "briefing-deck-"));
  const fixture = path.join(tmp, "five-horizons");
  fs.cpSync(path.join(repo, "tests/fixtures/letters"), fixture, { recursive: true });
  const model = '+++\ntitle = "Segments"\ndescription = "Amazon\'s fourth quarter of 2025, part by part."\n' +
    'template = "model.html"\n\n[extra]\nheading = "Five parts of the quarter"\n' +
    horizon("North America", "North America segment", "North America segment sales increased 10%", 4, "Say it is year over year.") +
    horizon("International", "International segment", "International segment sales increased 17%", 5, "Say 11% without exchange rates.") +
    horizon("AWS", "AWS segment", "AWS segment sales increased 24%", 6, "AWS segment sales were $35.6 billion.") +
    horizon("Operating income", "Operating income", "Operating income increased to $25.0 billion", 7, "Three special charges are in it.") +
    horizon("Without the charges", "without these charges", "Without these charges, operating income would have been $27.4 billion", 7, "This is without the three charges.") +
    "+++\n";
  fs.writeFileSync(path.join(fixture, "content/segments.md"), model);
  const home = path.join(fixture, "content/_index.md");
  fs.writeFileSync(home, fs.readFileSync(home, "utf8")
    .replace('metrics_page = "metrics.md"\n', 'metrics_page = "metrics.md"\nmodel_page = "segments.md"\n')
    .replace("[extra.headline]", "[extra.slides]\nmetrics_per_slide = 4\n\n[extra.headline]"));
  const out = [];
  for (const [name, root] of [["real", repo], ["five-horizons", fixture]]) {
    const dir = path.join(tmp, `${name}-site`);
    execFileSync(binary, ["build", "--root", root, "--output-dir", dir], { stdio: "inherit" });
    out.push(dir);
  }
  return out;
}

/** The audience window's state: current slide (from 1), hash, visible slides, counter text. */
function state(page) {
  return page.evaluate(() => {
    const slides = [...document.querySelectorAll("main.deck .slide")];
    const shown = slides.filter((s) => s.getClientRects().length > 0);
    return {
      current: slides.findIndex((s) => s.classList.contains("is-current")) + 1,
      hash: location.hash,
      shown: shown.length,
      count: slides.length,
      counter: document.querySelector(".deck-count")?.textContent || "",
    };
  });
}

async function keys(page, name, list, want) {
  for (const key of list) await page.keyboard.press(key);
  const s = await state(page);
  check(s.current === want && s.hash === `#${want}` && s.shown === 1,
    `${name}: ${list.map((k) => k.trim() || "Space").join(" ") || "opening"} reaches slide ${want}`, JSON.stringify(s));
}

async function notesHidden(page, name) {
  const r = await page.evaluate(() => {
    const notes = [...document.querySelectorAll(".notes")];
    const text = document.body.innerText;
    return {
      notes: notes.length,
      visible: notes.filter((n) => n.getClientRects().length > 0).length,
      leaked: notes.filter((n) => n.textContent.trim() && text.includes(n.textContent.trim())).length,
    };
  });
  check(r.notes > 0 && r.visible === 0 && r.leaked === 0,
    `${name}: ${r.notes} speaker notes, none visible to the audience`, JSON.stringify(r));
}

async function overview(page, name, count) {
  await page.keyboard.press("Home");
  await page.keyboard.press("o");
  let s = await state(page);
  check(s.shown === count, `${name}: O shows every slide in the overview`, JSON.stringify(s));
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Enter");
  s = await state(page);
  check(s.shown === 1 && s.current === 3, `${name}: arrows and Enter pick a slide`, JSON.stringify(s));
  await page.keyboard.press("o");
  await page.locator("main.deck .slide").nth(1).click();
  s = await state(page);
  check(s.shown === 1 && s.current === 2, `${name}: a click picks a slide`, JSON.stringify(s));
}

/** The presenter window: its current slide's heading, the next one's, its notes. */
function shows(presenter) {
  return presenter.evaluate(() => {
    const text = (sel) => document.querySelector(sel)?.innerText.trim() || "";
    return { now: text(".presenter-now").toLowerCase(), next: text(".presenter-next").toLowerCase(), notes: text(".presenter-notes"),
      time: text(".presenter-time"), hash: location.hash };
  });
}

async function presenterView(context, page, name) {
  // The first slide with notes: the presenter must show them.
  const noted = await page.evaluate(() =>
    [...document.querySelectorAll("main.deck .slide")].findIndex((s) => s.querySelector(".notes")) + 1);
  await page.goto(page.url().split("#")[0] + `#${noted}`);
  await page.waitForFunction((n) => document.querySelector(".slide.is-current") && location.hash === `#${n}`, noted);
  const [presenter] = await Promise.all([context.waitForEvent("page"), page.keyboard.press("p")]);
  await presenter.waitForSelector(".presenter-now .slide");
  const titleOf = (n) => page.evaluate((i) => document.querySelectorAll("main.deck .slide")[i - 1]
    .querySelector("h1, h2, blockquote").textContent.trim().toLowerCase(), n);
  let p = await shows(presenter);
  const note = await page.evaluate((i) => document.querySelectorAll("main.deck .slide")[i - 1].querySelector(".notes").textContent.trim(), noted);
  check(p.now.includes(await titleOf(noted)) && p.next.includes(await titleOf(noted + 1)) && p.notes.includes(note)
    && /\d:\d\d/.test(p.time), `${name}: the presenter view shows slide ${noted}, the next one, its notes and the time`,
    JSON.stringify(p));
  await page.screenshot({ path: path.join(artifacts, `deck-${name}.png`) });
  await presenter.screenshot({ path: path.join(artifacts, `presenter-${name}.png`) });
  // Audience → presenter.
  await page.bringToFront();
  await page.keyboard.press("ArrowRight");
  await presenter.waitForFunction((n) => location.hash === `#${n}`, noted + 1, { timeout: 5000 }).catch(() => {});
  p = await shows(presenter);
  check(p.hash === `#${noted + 1}` && p.now.includes(await titleOf(noted + 1)),
    `${name}: the audience window moves the presenter view`, JSON.stringify(p));
  // Presenter → audience.
  await presenter.bringToFront();
  await presenter.keyboard.press("ArrowLeft");
  await page.waitForFunction((n) => location.hash === `#${n}`, noted, { timeout: 5000 }).catch(() => {});
  const s = await state(page);
  check(s.current === noted, `${name}: the presenter view moves the audience window`, JSON.stringify(s));
  await presenter.close();
}

async function deck(browser, site) {
  const name = path.basename(site).replace(/-site$/, "");
  const url = pathToFileURL(path.join(site, "slides/index.html")).href;
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors = [];
  // axe reads stylesheets by XMLHttpRequest, which file:// refuses: its errors are not the deck's.
  let axeRunning = false;
  page.on("console", (msg) => { if (msg.type() === "error" && !axeRunning) errors.push(msg.text()); });
  page.on("pageerror", (err) => errors.push(String(err)));
  await page.goto(url);
  await page.waitForSelector(".slide.is-current");
  const { count } = await state(page);
  check(count >= 5, `${name}: ${count} slides`);
  await keys(page, name, [], 1);
  await keys(page, name, ["ArrowRight", " ", "PageDown"], 4);
  await keys(page, name, ["ArrowLeft", "PageUp"], 2);
  await keys(page, name, ["End"], count);
  await keys(page, name, ["Home"], 1);
  await page.goto(url + "#5");
  await page.reload();
  await page.waitForSelector(".slide.is-current");
  check((await state(page)).current === 5, `${name}: a reload keeps slide 5`);
  await notesHidden(page, name);
  axeRunning = true;
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  axeRunning = false;
  check(axe.violations.length === 0, `${name}: axe finds nothing on the deck`,
    axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`).join("\n"));
  await overview(page, name, count);
  await presenterView(context, page, name);
  check(errors.length === 0, `${name}: no script errors`, errors.join("\n"));
  // Without JavaScript the deck is one page of slides, one after another, notes still hidden.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const still = await plain.newPage();
  await still.goto(url);
  const r = await still.evaluate(() => ({
    shown: [...document.querySelectorAll(".slide")].filter((s) => s.getClientRects().length).length,
    all: document.querySelectorAll(".slide").length,
    notes: [...document.querySelectorAll(".notes")].filter((n) => n.getClientRects().length).length,
  }));
  check(r.shown === r.all && r.notes === 0, `${name}: without JavaScript every slide shows, no note`, JSON.stringify(r));
  await plain.close();
  await context.close();
}

runSuite("deck", async () => {
  if (!haveAll("deck", [CHROMIUM, binary])) return;
  const sites = build();
  const browser = await launch();
  try {
    for (const site of sites) await deck(browser, site);
  } finally {
    await browser.close();
  }
});
