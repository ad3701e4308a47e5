/**
 * The repository and store contracts (`tests/contracts/`) against the Firestore adapters on the
 * emulator: the same suites the in-memory fakes pass in the unit project. The data is cleared
 * before each test, so collection-wide queries (the sweep's) see only the test's tickets. And
 * the subscription pages of a fan-out, which Firestore's 30-value filters make an adapter matter.
 */
import { FirestoreStatusSummaryStore } from '../../functions/src/adapters/firestore-incidents';
import { FirestoreStatusSubscriptionRepository } from '../../functions/src/adapters/firestore-status-subscriptions';
import { FirestoreRedactionPolicies } from '../../functions/src/adapters/firestore-redaction-policies';
import { FirestoreSupportFiguresStore } from '../../functions/src/adapters/firestore-support-figures';
import { FirestoreTicketRepository } from '../../functions/src/adapters/firestore-tickets';
import type { StatusSubscription } from '../../functions/src/domain/status-subscriptions';
import type { Services } from '../../functions/src/wiring';
import { clearEmulators } from '../../scripts/lib/emulators';
import { applyLocalEnv } from '../../scripts/lib/local-env';
import { redactionPolicyStoreContract } from '../contracts/redaction-policy-store';
import { statusSummaryStoreContract } from '../contracts/status-summary-store';
import { supportFiguresStoreContract } from '../contracts/support-figures-store';
import { ticketRepositoryContract } from '../contracts/ticket-repository';

applyLocalEnv('contract-test');

let services: Services;

beforeAll(async () => {
  const { services: build } = await import('../../functions/src/wiring');
  services = await build();
});

afterAll(async () => {
  const { setServices } = await import('../../functions/src/wiring');
  const { deleteApp, getApps } = await import('firebase-admin/app');
  await Promise.all([services.db.terminate(), services.pubsub.close(), ...getApps().map((app) => deleteApp(app))]);
  setServices(undefined);
});

describe('FirestoreTicketRepository keeps the ticket repository contract', () => {
  ticketRepositoryContract({
    empty: async () => {
      await clearEmulators();
      return new FirestoreTicketRepository(services.db);
    },
  });
});

describe('FirestoreSupportFiguresStore keeps the support figures store contract', () => {
  supportFiguresStoreContract({
    empty: async () => {
      await clearEmulators();
      return new FirestoreSupportFiguresStore(services.db);
    },
  });
});

describe('FirestoreRedactionPolicies keeps the redaction policy store contract', () => {
  redactionPolicyStoreContract({
    empty: async () => {
      await clearEmulators();
      return new FirestoreRedactionPolicies(services.db, services.clock);
    },
  });
});

describe('FirestoreStatusSummaryStore keeps the status summary store contract', () => {
  statusSummaryStoreContract({
    empty: async () => {
      await clearEmulators();
      return new FirestoreStatusSummaryStore(services.db, services.clock);
    },
  });
});

describe('FirestoreStatusSubscriptionRepository pages the subscribers of an update', () => {
  const subscription = (id: string, products: string[], state: StatusSubscription['state'] = 'active'): StatusSubscription => ({
    id,
    channel: 'email',
    products,
    webhookUrl: null,
    email: `${id}@example.com`,
    state,
    signingSecret: null,
    unsubscribeToken: `token-${id}`,
    confirmationTokenHash: null,
    createdAt: '2026-12-01T00:00:00.000Z',
    confirmedAt: '2026-12-01T00:00:00.000Z',
  });

  it('when an update names more products than one Firestore filter takes, then every active subscriber of any of them is paged once, in id order', async () => {
    await clearEmulators();
    const repository = new FirestoreStatusSubscriptionRepository(services.db);
    const products = Array.from({ length: 45 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    const stored = [
      subscription('a-first-group', ['p00']),
      subscription('b-second-group', ['p40']),
      subscription('c-both-groups', ['p05', 'p35']),
      subscription('d-last-product', ['p44']),
      subscription('e-other-product', ['q00']),
      subscription('f-unconfirmed', ['p01'], 'pending'),
    ];
    for (const s of stored) await repository.create(s, [], []);
    const paged: string[][] = [];
    let cursor: string | null = null;
    do {
      const page = await repository.activeFor(products, 2, cursor);
      paged.push(page.subscriptions.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(paged).toEqual([['a-first-group', 'b-second-group'], ['c-both-groups', 'd-last-product'], []]);
  });
});
