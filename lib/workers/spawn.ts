/**
 * Starts a worker thread from a module beside the caller. Run from TypeScript sources (tsx, vitest)
 * the module is a `.ts` file, which the worker loads after registering tsx's loader; run from
 * compiled JavaScript it is the `.js` file. Answers null when the module cannot be found (e.g. inside
 * a bundle), so the caller can do the work itself.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

// Evaluated as the worker when the module is TypeScript: register tsx, then load the module.
const TS_BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
require("tsx/cjs/api").register();
require(workerData.entry);
`;

export function spawnSiblingWorker(callerUrl: string, name: string, workerData: Record<string, unknown>): Worker | null {
  let here: string;
  try {
    here = fileURLToPath(callerUrl);
  } catch {
    return null;
  }
  const ext = path.extname(here);
  const file = path.join(path.dirname(here), name + ext);
  if (!fs.existsSync(file)) return null;
  if (ext !== ".ts") return new Worker(file, { workerData });
  return new Worker(TS_BOOTSTRAP, { eval: true, workerData: { ...workerData, entry: file } });
}
