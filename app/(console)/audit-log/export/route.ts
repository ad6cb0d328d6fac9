// GET /audit-log/export - the audit log of the given filter as a CSV download (administrators only)
import { getServerSession } from "next-auth";
import { authOptions } from "@/app/_server/auth";
import { getRuntime } from "@/lib/runtime";
import type { ServiceContext } from "@/lib/services/context";
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
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return plain(401, "Sign in to export the audit log.");
  const rt = await getRuntime();
  // Re-read the user, so a deactivation or demotion since sign-in takes effect at once.
  const user = await rt.store.users.byId(id);
  if (!user || !user.isActive) return plain(401, "Sign in to export the audit log.");
  if (user.accessLevel !== "admin") return plain(403, "Only a System Administrator can export the audit log.");

  const query = parseAuditQuery(new URL(req.url).searchParams);
  if (query.errors.length) return plain(400, query.errors.join("\n"));
  const ctx: ServiceContext = {
    rt,
    actor: { userId: user.id, username: user.username, name: user.name, accessLevel: user.accessLevel },
    meta: { ip: req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null, userAgent: req.headers.get("user-agent") },
  };
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
