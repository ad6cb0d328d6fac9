/** Dates on the key pages: the same text on the server and in the browser (UTC, fixed locale). */
const DATE = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const DATE_TIME = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC", hourCycle: "h23" });

export const formatDate = (t: number): string => DATE.format(t);
export const formatDateTime = (t: number): string => `${DATE_TIME.format(t)} UTC`;

/** The key status a page hands to the panel (never the key itself). */
export type { ApiKeyStatus as ApiKeyView } from "@/lib/domain/api-key-status";
