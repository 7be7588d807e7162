// What the browser suites share: the Chromium they drive, the tally of checks, the rule for a
// missing tool (fail under CI, say loudly that it skipped elsewhere) and the summary line that
// scripts/test reads.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const CHROMIUM = process.env.BRIEFING_CHROMIUM || "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
export const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");

let passed = 0;
let failed = 0;

/** Count one check, and print it. */
export function check(ok, what, detail = "") {
  if (ok) {
    passed += 1;
    console.log(`ok   ${what}`);
  } else {
    failed += 1;
    console.log(`FAIL ${what}${detail ? `\n     ${detail.replace(/\n/g, "\n     ")}` : ""}`);
  }
}

/** False, having said so, if a file the suite needs is missing; under CI that is a failure. */
export function haveAll(suite, files) {
  const missing = files.find((file) => !fs.existsSync(file));
  if (missing === undefined) return true;
  const msg = `${missing} is missing`;
  if (process.env.CI) {
    console.log(`${msg}\n0 passed, 1 failed`);
    process.exit(1);
  }
  console.log(`\n*** SKIPPED ${suite}: ${msg} ***\n`);
  return false;
}

/** Headless Chromium, with the artifacts folder ready for screenshots. */
export async function launch() {
  fs.mkdirSync(artifacts, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** Run a suite's main, count a crash as a failure, print the tally and set the exit code. */
export function runSuite(suite, main) {
  main()
    .catch((err) => {
      failed += 1;
      console.log(`FAIL ${suite} crashed: ${err.stack || err}`);
    })
    .finally(() => {
      console.log(`\n${passed} passed, ${failed} failed`);
      process.exitCode = failed ? 1 : 0;
    });
}
