/**
 * The local drill's boundary: the region processes it starts and kills, the front, the HTTP
 * calls of its clients, and the emulators it seeds and reads. `orchestration.ts` runs the drill
 * over these; `forked-regions.ts` and `emulator-adapters.ts` are the real side.
 */
import type { DrillClock, HeartbeatReader } from '../failover';
import type { RegionRole } from './report';
import type { StoredDrillTicket } from './verification';

/** One running region: every function of the manifest in a child process of its own. */
export interface RegionProcess {
  readonly role: RegionRole;
  /** Where its API answers (`http://127.0.0.1:<port>`). */
  readonly apiUrl: string;
  /** The prefix of its push subscriptions on the shared emulator. */
  readonly subscriptionPrefix: string;
  readonly pid: number | undefined;
  /** Starts its scheduler and runs the heartbeat now; resolves with the heartbeat's message id. */
  activate(): Promise<string>;
  /** SIGKILL: no graceful shutdown, requests in flight break. */
  kill(): void;
  /** Whether it ended by SIGKILL (once its exit was reaped). */
  wasKilled(): boolean;
  hasExited(): boolean;
  /** Stops it if it still runs (gracefully, then by force). */
  stop(): Promise<void>;
}

export interface RegionLauncher {
  /** Starts the region and resolves once it serves; rejects with `RegionStartError`. */
  start(role: RegionRole, runId: string): Promise<RegionProcess>;
}

/** The stand-in for the global load balancer (`local-front.ts`). */
export interface Front {
  readonly url: string;
  close(): Promise<void>;
}

export interface FrontLauncher {
  /** Starts a front that prefers `primary` and calls `onEject` when it ejects a backend. */
  start(backends: { readonly primary: string; readonly secondary: string }, onEject: (backend: string, reason: string) => void): Promise<Front>;
}

/** What `POST /v1/tickets` answered through the front. */
export type CreateOutcome =
  | {
      readonly kind: 'answered';
      readonly status: number;
      /** `x-tuki-backend`: which region answered. */
      readonly backend: string | null;
      /** `Idempotent-Replayed: true`. */
      readonly replayed: boolean;
      /** The ticket id of a 201. */
      readonly ticketId?: string;
      /** The problem's `detail` of an error answer. */
      readonly detail?: string;
    }
  /** No answer: the connection broke or timed out (`ECONNRESET`, `TimeoutError`, …). */
  | { readonly kind: 'network-error'; readonly code: string };

/** The drill's HTTP client, through the front. */
export interface DrillHttpClient {
  /** `GET /v1/health`'s status. */
  health(): Promise<number>;
  /** `POST /v1/tickets` with the given `Idempotency-Key` and JSON body. */
  createTicket(key: string, body: string): Promise<CreateOutcome>;
}

/** Seeds the emulators for a run: catalog, demo users and the drill's customer in `orgId`. */
export interface DrillSetup {
  /** Resolves with the drill customer's ID token. */
  seed(orgId: string): Promise<string>;
}

export interface DrillTicketStore {
  /** Every ticket of the drill's organisation. */
  ticketsOf(orgId: string): Promise<StoredDrillTicket[]>;
}

export interface PushSubscriptions {
  /** Deletes the push subscriptions of these prefixes (a killed region cannot delete its own). */
  deleteOf(prefixes: readonly string[]): Promise<void>;
}

export interface LocalDrillDeps {
  readonly setup: DrillSetup;
  readonly regions: RegionLauncher;
  readonly front: FrontLauncher;
  /** The client of the drill's customer (`token`) through the front at `frontUrl`. */
  readonly http: (frontUrl: string, token: string) => DrillHttpClient;
  readonly heartbeats: HeartbeatReader;
  readonly tickets: DrillTicketStore;
  readonly subscriptions: PushSubscriptions;
  readonly clock: DrillClock;
  readonly log: (line: string) => void;
}
