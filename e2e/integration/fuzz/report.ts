/** What a run reports: answers counted by status, and for a failing case the problems, the request as sent and the answers. */
import type { FuzzCase } from "./case";
import type { BuiltRequest, SentRequest } from "./send";

export const excerpt = (s: string, n = 600) => (s.length > n ? `${s.slice(0, n)}... (${s.length} chars)` : s);

/** How many answers came back with each status. */
export type StatusCounts = Map<number, number>;

export function countStatuses(stats: StatusCounts, answers: SentRequest[]): void {
  for (const { res } of answers) stats.set(res.status, (stats.get(res.status) ?? 0) + 1);
}

/** `200×223 400×407 ...`, in status order. */
export function formatStatusCounts(stats: StatusCounts): string {
  const histogram = [...stats].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
  return histogram.join(" ");
}

/** The message of a failing case: its problems, the request as sent, the answers and what the server logged. */
export function failureReport(problems: string[], c: FuzzCase, shown: BuiltRequest["shown"], answers: SentRequest[], serverLog: string[]): string {
  return [
    [...new Set(problems)].join("\n"),
    `request: ${shown.method} ${excerpt(shown.url, 400)}${c.copies > 1 ? ` (${c.copies} copies at once)` : ""}`,
    `headers: ${excerpt(JSON.stringify(shown.headers), 400)}`,
    shown.body ? `body: ${excerpt(shown.body, 400)}` : "body: (none)",
    c.ip === null ? "" : `client address: ${c.ip}`,
    ...answers.map(({ res, text }) => `response: ${res.status} ${excerpt(text)}`),
    serverLog.length ? `server log: ${excerpt(serverLog.join("\n"), 800)}` : "",
  ]
    .filter(Boolean)
    .join("\n");
}
