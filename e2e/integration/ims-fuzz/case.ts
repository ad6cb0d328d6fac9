/** An IMS fuzz case: requests sent at one moment, the assertions they name, and what else happens then. */
import type { FuzzCase } from "../fuzz/case";
import type { AssertionSpec } from "./assertions";

/** A credential revoked (in the Developer Console) while its exchanges are in flight. */
export interface RevokeRace {
  victim: "jwt" | "s2s";
  /** The revocation starts after this many of the requests were started... */
  after: number;
  /** ...and this many event-loop turns. */
  ticks: number;
  /** A REST call with a token issued before the race goes along. */
  restOld: boolean;
}

/** How an issued token is tried on the REST API. */
export interface Probe {
  /** Which character of the payload and signature to change, and how. */
  tamperAt: number;
  tamperBy: number;
  /** Also create a project with a token that may write. */
  create: boolean;
}

export interface ImsCase {
  origin: "realistic" | "wild" | "jti race" | "revoke race";
  /** Sent at the same moment, each with its copies; `{{assertion.N}}` names `assertions[N]`. */
  requests: FuzzCase[];
  assertions: AssertionSpec[];
  race: RevokeRace | null;
  probe: Probe;
}
