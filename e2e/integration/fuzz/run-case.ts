/** One fuzz case: repair the world, send the request and its copies, and check the answers and what they changed. */
import type { FuzzCase } from "./case";
import { isRead, responseProblems } from "./checks";
import type { FuzzedInstance } from "./instance";
import { placeholderValues } from "./placeholders";
import { countStatuses, failureReport, type StatusCounts } from "./report";
import { secretsFor } from "./secrets";
import { buildRequest, carriedText, sendAll } from "./send";
import { diff } from "./snapshot";

/** An answer slower than this, in-process on a small database, is a denial of service. */
const SLOW_MS = 5000;

/** Runs one case, counting its answers in `stats`; throws the failure report when a check fails. */
export async function runCase(instance: FuzzedInstance, c: FuzzCase, stats: StatusCounts, serverLog: string[]): Promise<void> {
  instance.rt.clock.advance(c.elapsedMs);
  await instance.repair();
  const refs = placeholderValues(instance.world);
  const first = buildRequest(c, refs);
  const built = [first, ...Array.from({ length: c.copies - 1 }, () => buildRequest(c, refs))];
  const { shown } = first;
  const before = instance.snapshot();
  serverLog.length = 0;
  const answers = await sendAll(built, c.ip);
  countStatuses(stats, answers);

  const requestText = carriedText(shown);
  const secrets = secretsFor(instance.secrets, instance.world, requestText);
  const problems: string[] = [];
  for (const { res, text, ms } of answers) {
    problems.push(...responseProblems(res, text, requestText, secrets));
    if (ms > SLOW_MS) problems.push(`the answer took ${Math.round(ms)} ms`);
  }
  const refused = answers.every(({ res }) => res.status >= 400);
  // A refused request changes nothing; neither does a read (GET or HEAD without a method override).
  const readOnly = isRead(shown.method, new URL(shown.url).search);
  if (refused || readOnly) {
    problems.push(...diff(before, instance.snapshot(), refused).map((d) => (refused ? d : `a read changed data: ${d}`)));
  }
  // Whatever a successful change stored, every row still renders for the admin and the user.
  if (!refused && !readOnly && problems.length === 0) problems.push(...(await instance.probe()));
  if (problems.length > 0) throw new Error(failureReport(problems, c, shown, answers, serverLog));
}
