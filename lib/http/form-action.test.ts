import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { Conflict } from "../errors";
import { ADMINS_ONLY, formAction, SESSION_ENDED } from "./form-action";

const form = (o: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) f.set(k, v);
  return f;
};
const schema = z.object({ name: z.string().min(1, "Name is required") });

describe("formAction", () => {
  it("refuses a signed-out caller and a non-admin before running anything", async () => {
    const fn = vi.fn(async () => undefined);
    expect(await formAction(async () => null, false, schema, fn)(null, form({ name: "x" }))).toEqual({ ok: false, error: SESSION_ENDED });
    expect(await formAction(async () => ({ isAdmin: false }), true, schema, fn)(null, form({ name: "x" }))).toEqual({ ok: false, error: ADMINS_ONLY });
    expect(fn).not.toHaveBeenCalled();
  });

  it("validates input and hands the parsed values to the service", async () => {
    const fn = vi.fn(async (_u: { isAdmin: boolean }, input: { name: string }) => ({ ok: true as const, message: `hi ${input.name}` }));
    const run = formAction(async () => ({ isAdmin: true }), true, schema, fn);
    expect(await run(null, form({ name: "" }))).toEqual({ ok: false, error: "name: Name is required" });
    expect(await run(null, form({ name: "Ada", $ACTION_ID_1: "x" }))).toEqual({ ok: true, message: "hi Ada" });
  });

  it("shows service errors and hides unexpected ones", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const conflict = formAction(async () => ({ isAdmin: true }), true, schema, async () => {
      throw new Conflict("The username is already taken");
    });
    expect(await conflict(null, form({ name: "a" }))).toEqual({ ok: false, error: "The username is already taken" });
    const crash = formAction(async () => ({ isAdmin: true }), true, schema, async () => {
      throw new Error("SQLITE_CORRUPT at /secret/path");
    });
    const r = await crash(null, form({ name: "a" }));
    expect(r).toEqual({ ok: false, error: "Something went wrong. Nothing was changed." });
    spy.mockRestore();
  });
});
