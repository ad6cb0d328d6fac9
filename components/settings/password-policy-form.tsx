"use client";

import { useActionState, useState } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import { SaveBar } from "@/components/ui/save-bar";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult>;

export interface PasswordPolicyValues {
  passwordResetDays: number | null;
  lockoutEnabled: boolean;
  lockoutMinutes: number;
  lockoutThreshold: number;
}

const DAYS = [30, 60, 90, 120, 180];
const DURATIONS = [
  { minutes: 10, label: "10 minutes" },
  { minutes: 30, label: "30 minutes" },
  { minutes: 60, label: "1 hour" },
  { minutes: 480, label: "8 hours" },
  { minutes: 1440, label: "24 hours" },
];
const SELECT = "rounded-md border border-slate-300 px-2 py-1 disabled:opacity-50";

export function PasswordPolicyForm({ values, save }: { values: PasswordPolicyValues; save: Action }) {
  const [resetOn, setResetOn] = useState(values.passwordResetDays !== null);
  const [days, setDays] = useState(values.passwordResetDays ?? 30);
  const [lockOn, setLockOn] = useState(values.lockoutEnabled);
  const [minutes, setMinutes] = useState(values.lockoutMinutes);
  const [result, dispatch, busy] = useActionState(save, null);
  return (
    <form action={dispatch} aria-label="Security settings" className="space-y-5 text-sm">
      <fieldset>
        <legend className="mb-2 font-medium">Password expiry</legend>
        <div className="flex flex-wrap items-center gap-2">
          <input id="password-reset" type="checkbox" name="passwordReset" checked={resetOn} onChange={(e) => setResetOn(e.target.checked)} />
          <label htmlFor="password-reset">Force users to reset their password every</label>
          <select aria-label="Password reset days" value={days} disabled={!resetOn} onChange={(e) => setDays(Number(e.target.value))} className={SELECT}>
            {DAYS.map((d) => (
              <option key={d} value={d}>{d}</option>
            ))}
          </select>
          <span>days</span>
          {resetOn && <input type="hidden" name="passwordResetDays" value={days} />}
        </div>
        <p className="mt-1 pl-6 text-slate-500">Users with an expired password must choose a new one at their next console sign-in; password-based API calls are refused until then.</p>
      </fieldset>
      <fieldset>
        <legend className="mb-2 font-medium">Failed sign-in lockout</legend>
        <div className="flex flex-wrap items-center gap-2">
          <input id="lockout" type="checkbox" name="lockoutEnabled" checked={lockOn} onChange={(e) => setLockOn(e.target.checked)} />
          <label htmlFor="lockout">Lock an account after {values.lockoutThreshold} failed sign-in attempts</label>
          <span>for</span>
          <select aria-label="Lockout duration" value={minutes} disabled={!lockOn} onChange={(e) => setMinutes(Number(e.target.value))} className={SELECT}>
            {DURATIONS.map((d) => (
              <option key={d.minutes} value={d.minutes}>{d.label}</option>
            ))}
          </select>
          <input type="hidden" name="lockoutMinutes" value={minutes} />
        </div>
        <p className="mt-1 pl-6 text-slate-500">Applies to console sign-in, REST /login and the API key actions alike.</p>
      </fieldset>
      <SaveBar busy={busy} result={result} />
    </form>
  );
}
