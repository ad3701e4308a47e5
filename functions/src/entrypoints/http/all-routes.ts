/**
 * Every route of the API; each capability's routes live in their own file, and each file is
 * handed the ports of its use cases by the composition root (`wiring.ts`). Loaded on the first
 * request that needs them (see `api.ts`), so a cold start answers `GET /v1/health` without
 * building the zod contracts and use cases first; the ports are built on the first call.
 */
import { instanceConfig, instanceHealth, ports } from '../../wiring';
import { health } from './health';
import { openApiDocument } from './openapi';
import type { Route } from './router';
import { accountRoutes } from './routes-accounts';
import { coreRoutes } from './routes';
import { incidentRoutes } from './routes-incidents';
import { privacyRoutes } from './routes-privacy';
import { retentionRoutes } from './routes-retention';
import { statusRoutes } from './routes-status';
import { statusSubscriptionRoutes } from './routes-status-subscriptions';
import { redactionRoutes } from './routes-redaction';
import { supportRoutes } from './support-routes';

const healthRoute: Route = {
  method: 'GET',
  pattern: '/v1/health',
  summary: 'Liveness, with the region that answered and the version',
  auth: false,
  who: 'anyone',
  successStatus: 200,
  handle: async () => health(instanceHealth),
};

const openApiRoute: Route = {
  method: 'GET',
  pattern: '/v1/openapi.json',
  summary: 'This OpenAPI 3.1 description',
  auth: false,
  who: 'anyone',
  successStatus: 200,
  handle: async () => ({ status: 200, body: openApiDocument(API_ROUTES, instanceConfig().TUKI_VERSION) }),
};

export const API_ROUTES: readonly Route[] = [
  healthRoute,
  ...coreRoutes(ports),
  ...accountRoutes(ports),
  ...supportRoutes(ports),
  ...privacyRoutes(ports),
  ...retentionRoutes(ports),
  ...incidentRoutes(ports),
  ...statusRoutes(ports),
  ...statusSubscriptionRoutes(ports),
  ...redactionRoutes(ports),
  openApiRoute,
];
