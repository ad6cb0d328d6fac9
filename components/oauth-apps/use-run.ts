"use client";

import { useTransition } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import type { ConsoleAction } from "@/components/users/types";

export const NOT_REACHED = "The request did not reach the server. Nothing was changed; try again.";

function toForm(fields: FormData | Record<string, string>): FormData {
  if (fields instanceof FormData) return fields;
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

/** Runs a server action from an event handler, in a transition, and hands its result to `done`. */
export function useRun() {
  const [busy, start] = useTransition();
  function run<T>(action: ConsoleAction<T>, fields: FormData | Record<string, string>, done: (r: ActionResult<T>) => void) {
    const form = toForm(fields);
    start(async () => {
      let r: ActionResult<T>;
      try {
        r = await action(null, form);
      } catch {
        r = { ok: false, error: NOT_REACHED };
      }
      done(r);
    });
  }
  return { busy, run };
}
