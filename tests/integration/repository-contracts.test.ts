/**
 * The repository and store contracts (`tests/contracts/`) against the Firestore adapters on the
 * emulator: the same suites the in-memory fakes pass in the unit project. The data is cleared
 * before each test, so collection-wide queries (the sweep's) see only the test's tickets.
 */
import { FirestoreStatusSummaryStore } from '../../functions/src/adapters/firestore-incidents';
import { FirestoreRedactionPolicies } from '../../functions/src/adapters/firestore-redaction-policies';
import { FirestoreSupportFiguresStore } from '../../functions/src/adapters/firestore-support-figures';
import { FirestoreTicketRepository } from '../../functions/src/adapters/firestore-tickets';
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
