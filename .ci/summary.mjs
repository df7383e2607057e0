// Prints the run's closing line, the plain "N passed, N failed" (", N skipped" after it
// when some were), from vitest's JSON report. Without a report (the run stopped before
// the tests: install, typecheck or the bench smoke run failed) it counts one failure.
import fs from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
const status = Number(process.argv[3] ?? '0');
if (!fs.existsSync(file)) {
  console.log(`0 passed, 1 failed`);
  process.exit(0);
}
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
// A run that failed outside any test (a file that did not load) still counts as failed.
const failed = r.numFailedTests + (status !== 0 && r.numFailedTests === 0 ? 1 : 0);
console.log(`${r.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
