"use client";

import { useActionState, useTransition } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import type { ConsoleAction } from "./types";

/** Runs a server action from an event handler and keeps its last result. */
export function useConsoleAction<T>(action: ConsoleAction<T>) {
  const [result, dispatch, actionPending] = useActionState<ActionResult<T> | null, FormData>(action, null);
  const [transitionPending, startTransition] = useTransition();

  function run(fields: FormData | Record<string, string>) {
    let payload: FormData;
    if (fields instanceof FormData) payload = fields;
    else {
      payload = new FormData();
      for (const [k, v] of Object.entries(fields)) payload.set(k, v);
    }
    startTransition(() => dispatch(payload));
  }

  /** A form's onSubmit that sends its fields plus the user ID the action is about. */
  function submitFor(userId: string) {
    return (e: React.FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      const form = new FormData(e.currentTarget);
      form.set("id", userId);
      run(form);
    };
  }

  return { result, run, submitFor, pending: actionPending || transitionPending };
}
