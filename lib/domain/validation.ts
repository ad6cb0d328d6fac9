/** Input validation shared by every transport: zod schemas, failures as one readable 400. */
import type { z } from "zod";
import { InvalidRequest } from "../errors";

/** zod parse that turns validation failures into one readable 400. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new InvalidRequest(r.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ` : "") + i.message).join("; "));
  return r.data;
}
