// GET /audit-log/export - the audit log of the given filter as a CSV download (administrators only)
import { currentConsoleUser } from "@/app/_server/guard";
import { exportAuditCsv, exportFileName } from "@/lib/services/audit/export";
import { parseAuditQuery } from "@/lib/services/audit/filter";

export const dynamic = "force-dynamic";

function plain(status: number, text: string): Response {
  return new Response(text + "\n", { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

/** Pulls one chunk at a time, so a slow download never makes the server read ahead of it. */
function streamOf(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (e) {
        console.error("keyward: audit export failed:", e instanceof Error ? e.stack : e);
        controller.error(e);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

export async function GET(req: Request): Promise<Response> {
  // The console guard re-reads the user, so a deactivation or demotion since sign-in counts at once.
  const u = await currentConsoleUser();
  if (!u) return plain(401, "Sign in to export the audit log.");
  if (!u.isAdmin) return plain(403, "Only a System Administrator can export the audit log.");
  const query = parseAuditQuery(new URL(req.url).searchParams);
  if (query.errors.length) return plain(400, query.errors.join("\n"));
  const { ctx } = u;
  const rt = ctx.rt;
  const chunks = exportAuditCsv(ctx, query.criteria);
  return new Response(streamOf(chunks), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${exportFileName(rt.clock.now())}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
