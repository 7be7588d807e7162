// The drawings in a real browser: fixture briefings with 2, 3, 4 and 5 horizons (long names,
// a word too long for any line) and with line and bar charts of a series, built with the
// briefing binary, then opened in Debian's Chromium at 375 and 1280 px. It measures every label
// of the horizon diagram (no two overlap, none crosses another horizon's leader line, none
// spills out of the drawing or the viewport, none is under 12 px), checks that each curve has
// its own line style, and that each chart has its title, description, a table of the same
// values, forecasts drawn apart, and labels at least 12 px that do not overlap. Screenshots of
// every fixture land in tests/browser/artifacts/figures-*.png.
// Usage: node tests/browser/figures.mjs [BRIEFING_BINARY] (default target/debug/briefing)
import { artifacts, check, CHROMIUM, haveAll, launch, runSuite } from "./harness.mjs";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const binary = path.resolve(process.argv[2] || path.join(here, "../../target/debug/briefing"));
const LONG = [
  ["Defend and extend the core marketplace", "work for today on every merchant and every shopper"],
  ["Internationalisation", "invest for tomorrow in cross-border commerce and logistics"],
  ["Cloud and the infrastructure beneath it", "build what every later business will run on"],
  ["Incubate new ventures", "incubate for the day after tomorrow"],
  ["Moonshots with no revenue yet", "bets that take eight to ten years to pay"],
];

/** The source every fixture cites: one paragraph per horizon and per value. */
function sourceText(n) {
  const lines = ["A fixture source"];
  for (let i = 0; i < n; i++) lines.push(`We say: ${LONG[i][1]}.`);
  for (const q of [METRIC_QUOTE, ...POINTS.map((p) => p[2])]) lines.push(`${q}.`);
  return lines.join("\n") + "\n";
}

function modelPage(n) {
  let s = `+++\ntitle = "The horizons"\ntemplate = "model.html"\nweight = 5\n[extra]\n`;
  for (let i = 0; i < n; i++) {
    s += `[[extra.horizons]]\nname = "${LONG[i][0]}"\nwords = "${LONG[i][1]}"\ntimeframe = "${["today", "next year", "the day after tomorrow", "in a decade", "later"][i]}"\nsummary = "A horizon."\n`;
    s += `[extra.horizons.cite]\nquote = "${LONG[i][1]}"\nsource = "fixture-source.md"\npara = ${i + 1}\n`;
  }
  return s + "+++\n";
}

const METRIC_QUOTE = "Users reached 1.2 billion in 2025";
const POINTS = [
  ["2023", "1.0", "Users were 1.0 billion in 2023", false],
  ["2024", "1.07", "Users reached 1.07 billion in 2024", false],
  ["2025", "1.2", "Users reached 1.2 billion in 2025, a record", false],
  ["2027", "1.5", "Users are expected to reach 1.5 billion in 2027", true],
];

function seriesPage(n, kind) {
  const para = n + 1;
  const cite = (quote, p) => `quote = "${quote}"\nsource = "fixture-source.md"\npara = ${p}\n`;
  let s = `+++\ntitle = "Series"\ntemplate = "metrics.html"\nweight = 6\n[extra]\n[[extra.metrics]]\nvalue = "1.2"\nunit = "billion"\nlabel = "users, by year"\nas_of = "2025"\nchart = "${kind}"\n[extra.metrics.cite]\n${cite(METRIC_QUOTE, para)}`;
  POINTS.forEach(([date, value, quote, forecast], j) => {
    s += `[[extra.metrics.series]]\ndate = "${date}"\nvalue = "${value}"\nforecast = ${forecast}\n[extra.metrics.series.cite]\n${cite(quote, para + 1 + j)}`;
  });
  return s + "+++\n";
}

/** `briefing init`, then a model page with `n` horizons and a metrics page with a series. */
function fixture(n, kind) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `figures-${n}-`));
  const site = path.join(dir, "site");
  execFileSync(binary, ["init", site], { stdio: "pipe" });
  const write = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(site, rel)), { recursive: true });
    fs.writeFileSync(path.join(site, rel), text);
  };
  write("content/sources/fixture.txt", sourceText(n));
  write("content/fixture-source.md", `+++\ntitle = "Fixture source"\ndocument = "sources/fixture.txt"\ntemplate = "source.html"\nin_nav = false\n+++\n`);
  write("content/horizons.md", modelPage(n));
  write("content/series.md", seriesPage(n, kind));
  execFileSync(binary, ["build", "--root", site], { stdio: "pipe" });
  return { dir, out: path.join(site, "public") };
}

/** Boxes of the diagram's labels, leaders, text sizes, and line styles, measured in the page. */
function measureDiagram() {
  const svg = document.querySelector("svg.hz-diagram");
  const r = svg.getBoundingClientRect();
  const scale = r.width / svg.viewBox.baseVal.width;
  const box = (e) => { const b = e.getBoundingClientRect(); return { l: b.left, r: b.right, t: b.top, b: b.bottom, text: e.textContent }; };
  const labels = [...svg.querySelectorAll(".hz-tag, .hz-time, .hz-axis text")].map(box);
  const leaders = [...svg.querySelectorAll(".hz-leader")].map((e) => ({ ...box(e), tag: box(e.parentNode.querySelector(".hz-tag")) }));
  const sizes = [...svg.querySelectorAll("text")].map((t) => ({ text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale }));
  const dashes = [...svg.querySelectorAll(".hz-curve")].map((p) => getComputedStyle(p).strokeDasharray);
  return { svg: { l: r.left, r: r.right, t: r.top, b: r.bottom }, labels, leaders, sizes, dashes, vw: window.innerWidth };
}

const overlap = (a, b) => a.l < b.r - 0.5 && b.l < a.r - 0.5 && a.t < b.b - 0.5 && b.t < a.b - 0.5;
const inside = (a, o) => a.l >= o.l - 0.5 && a.r <= o.r + 0.5 && a.t >= o.t - 0.5 && a.b <= o.b + 0.5;

async function checkDiagram(page, name) {
  const m = await page.evaluate(measureDiagram);
  const pairs = [];
  m.labels.forEach((a, i) => m.labels.slice(i + 1).forEach((b) => { if (overlap(a, b)) pairs.push(`"${a.text}" / "${b.text}"`); }));
  check(pairs.length === 0, `${name}: no two labels of the diagram overlap`, pairs.join("\n"));
  const out = m.labels.filter((a) => !inside(a, m.svg) || a.r > m.vw || a.l < 0);
  check(out.length === 0, `${name}: every label stays inside the drawing and the viewport`, out.map((a) => a.text).join("\n"));
  const crossed = [];
  for (const leader of m.leaders) {
    for (const tag of m.labels) {
      if (tag.text === leader.tag.text) continue;
      if (leader.l > tag.l && leader.l < tag.r && leader.t < tag.b && tag.t < leader.b) crossed.push(tag.text);
    }
  }
  check(crossed.length === 0, `${name}: no leader line runs through another label`, crossed.join("\n"));
  const small = m.sizes.filter((s) => s.px < 12);
  check(small.length === 0, `${name}: every label is at least 12 px (smallest ${Math.min(...m.sizes.map((s) => s.px)).toFixed(1)} px)`,
    small.map((s) => `${s.px.toFixed(1)} px: ${s.text}`).join("\n"));
  check(new Set(m.dashes).size === m.dashes.length, `${name}: each of the ${m.dashes.length} curves has its own line style`, m.dashes.join(" | "));
}

async function checkChart(page, name) {
  const m = await page.evaluate(() => {
    const svg = document.querySelector("svg.chart");
    const r = svg.getBoundingClientRect();
    const scale = r.width / svg.viewBox.baseVal.width;
    const texts = [...svg.querySelectorAll("text")].map((t) => {
      const b = t.getBoundingClientRect();
      return { text: t.textContent, l: b.left, r: b.right, t: b.top, b: b.bottom, px: parseFloat(getComputedStyle(t).fontSize) * scale };
    });
    const table = svg.closest("figure").querySelector("table");
    const cells = table ? [...table.querySelectorAll("tbody tr")].map((tr) => tr.innerText) : [];
    return {
      title: svg.querySelector("title")?.textContent, desc: svg.querySelector("desc")?.textContent,
      texts, cells, svg: { l: r.left, r: r.right, t: r.top, b: r.bottom }, vw: window.innerWidth,
      hollow: svg.querySelectorAll(".chart-dot--forecast, .chart-bar--forecast").length,
      dashed: [...svg.querySelectorAll(".chart-line--forecast, .chart-bar--forecast")].every((e) => getComputedStyle(e).strokeDasharray !== "none"),
      fills: [...svg.querySelectorAll(".chart-dot--forecast, .chart-bar--forecast")].map((e) => getComputedStyle(e).fill),
      solid: [...svg.querySelectorAll(".chart-dot:not(.chart-dot--forecast), .chart-bar:not(.chart-bar--forecast)")].map((e) => getComputedStyle(e).fill),
    };
  });
  check(m.title === "users, by year" && m.desc.includes("2027: 1.5 billion (forecast)"), `${name}: the chart has its title and a description of every value`, `${m.title} / ${m.desc}`);
  check(m.cells.length === 4 && m.cells[3].includes("1.5") && m.cells[3].toLowerCase().includes("forecast"), `${name}: a table beside the chart holds the same values`, m.cells.join("\n"));
  check(["1.0", "1.07", "1.2", "1.5", "2023", "2027", "forecast"].every((v) => m.texts.some((t) => t.text === v)), `${name}: values, dates and the word "forecast" are written on the chart`);
  check(m.hollow === 1 && m.dashed && !m.solid.includes(m.fills[0]), `${name}: the forecast is hollow and dashed, unlike the results`, JSON.stringify(m));
  const pairs = [];
  m.texts.forEach((a, i) => m.texts.slice(i + 1).forEach((b) => { if (overlap(a, b)) pairs.push(`${a.text} / ${b.text}`); }));
  check(pairs.length === 0, `${name}: no two labels of the chart overlap`, pairs.join("\n"));
  check(m.texts.every((t) => inside(t, m.svg) && t.r <= m.vw), `${name}: the chart's labels stay inside it`);
  check(m.texts.every((t) => t.px >= 12), `${name}: the chart's labels are at least 12 px (smallest ${Math.min(...m.texts.map((t) => t.px)).toFixed(1)} px)`);
}

async function main() {
  if (!haveAll("the figure tests", [CHROMIUM, binary])) return;
  const browser = await launch();
  const made = [];
  try {
    for (const [n, kind] of [[2, "line"], [3, "bar"], [4, "line"], [5, "bar"]]) {
      const f = fixture(n, kind);
      made.push(f.dir);
      for (const width of [375, 1280]) {
        const context = await browser.newContext({ viewport: { width, height: 900 } });
        const page = await context.newPage();
        const errors = [];
        page.on("console", (msg) => { if (msg.type() === "error") errors.push(msg.text()); });
        await page.goto(pathToFileURL(path.join(f.out, "horizons/index.html")).href);
        await checkDiagram(page, `${n} horizons at ${width} px`);
        await page.locator("svg.hz-diagram").screenshot({ path: path.join(artifacts, `figures-diagram-${n}-${width}.png`) });
        await page.goto(pathToFileURL(path.join(f.out, "series/index.html")).href);
        await checkChart(page, `${kind} chart at ${width} px`);
        await page.locator("figure.series").screenshot({ path: path.join(artifacts, `figures-chart-${kind}-${n}-${width}.png`) });
        check(errors.length === 0, `${n} horizons at ${width} px: no console errors`, errors.join("\n"));
        await context.close();
      }
    }
  } finally {
    await browser.close();
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  }
}

runSuite("the figure tests", main);
