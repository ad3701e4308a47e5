/**
 * The real side of the local drill's boundary, over the emulators named by the environment:
 * seeding the drill customer, the tickets and heartbeat in Firestore, the push subscriptions on
 * the Pub/Sub emulator, `fetch` through the front, and the front itself (`local-front.ts`).
 */
import { COLLECTIONS } from '../../../functions/src/adapters/firestore-names';
import { FirestoreHeartbeatReader } from '../failover-adapters';
import { FUNCTIONS } from '../../../functions/src/manifest';
import type { Services } from '../../../functions/src/wiring';
import { DEMO_PASSWORD, seedDemoData, signIn } from '../../lib/demo';
import { startLocalFront } from '../local-front';
import type { CreateOutcome, DrillHttpClient, FrontLauncher, LocalDrillDeps } from './ports';

const DRILL_CUSTOMER = { uid: 'drill-customer', email: 'drill-customer@tuki.example', name: 'Failover drill customer' } as const;
/** How long one client request may take before it counts as a network error. */
const REQUEST_TIMEOUT_MS = 15_000;
/** How much of a problem's detail an attempt keeps. */
const DETAIL_CHARS = 200;

/** Everything the drill needs from the emulators, over the instance's services. */
export function emulatorDrillDeps(s: Services, frontPort: number): Omit<LocalDrillDeps, 'regions' | 'clock' | 'log'> {
  return {
    setup: {
      async seed(orgId) {
        await seedDemoData(s);
        await s.identities.ensureDemoUser(DRILL_CUSTOMER.uid, DRILL_CUSTOMER.email, DEMO_PASSWORD, DRILL_CUSTOMER.name);
        await s.principals.putCustomer(DRILL_CUSTOMER.uid, orgId, new Date(s.clock.now()).toISOString());
        return signIn(DRILL_CUSTOMER.email);
      },
    },
    front: localFront(frontPort),
    http: (frontUrl, token) => new FetchDrillClient(frontUrl, token),
    heartbeats: new FirestoreHeartbeatReader(s.db),
    tickets: {
      async ticketsOf(orgId) {
        const stored = await s.db.collection(COLLECTIONS.tickets).where('orgId', '==', orgId).get();
        return stored.docs.map((doc) => ({ id: doc.id, subject: doc.get('subject') as unknown }));
      },
    },
    subscriptions: {
      async deleteOf(prefixes) {
        const pushed = FUNCTIONS.filter((fn) => fn.trigger.kind === 'pubsub');
        const names = prefixes.flatMap((prefix) => pushed.map((fn) => `${prefix}${fn.name}`));
        await Promise.all(names.map((name) => s.pubsub.subscription(name).delete().catch(() => undefined)));
      },
    },
  };
}

/** The front on `port` (0 for any free one), primary first. */
function localFront(port: number): FrontLauncher {
  return {
    start: (backends, onEject) =>
      startLocalFront({
        port,
        backends: [
          { name: 'primary', url: backends.primary },
          { name: 'secondary', url: backends.secondary },
        ],
        onEject,
      }),
  };
}

/** The drill customer's requests through the front, with `fetch`. */
class FetchDrillClient implements DrillHttpClient {
  constructor(
    private readonly frontUrl: string,
    private readonly token: string,
  ) {}

  async health(): Promise<number> {
    return (await fetch(`${this.frontUrl}/v1/health`)).status;
  }

  async createTicket(key: string, body: string): Promise<CreateOutcome> {
    try {
      const response = await fetch(`${this.frontUrl}/v1/tickets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const parsed = (await response.json().catch(() => null)) as { id?: unknown; detail?: unknown } | null;
      return {
        kind: 'answered',
        status: response.status,
        backend: response.headers.get('x-tuki-backend'),
        replayed: response.headers.get('idempotent-replayed') === 'true',
        ...(typeof parsed?.id === 'string' ? { ticketId: parsed.id } : {}),
        ...(typeof parsed?.detail === 'string' ? { detail: parsed.detail.slice(0, DETAIL_CHARS) } : {}),
      };
    } catch (caught) {
      // fetch names the socket's error in `cause.code` (ECONNRESET); a timeout is a TimeoutError.
      const cause = (caught as { cause?: { code?: string } }).cause;
      return { kind: 'network-error', code: cause?.code ?? (caught instanceof Error ? caught.name : String(caught)) };
    }
  }
}
