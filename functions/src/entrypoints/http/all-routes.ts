/**
 * Every route of the API; each capability's routes live in their own file. Loaded on the first
 * request that needs them (see `api.ts`), so a cold start answers `GET /v1/health` without
 * building the zod contracts and use cases first.
 */
import { instanceConfig } from '../../wiring';
import { openApiDocument } from './openapi';
import type { Route } from './router';
import { ACCOUNT_ROUTES } from './routes-accounts';
import { CORE_ROUTES } from './routes';
import { INCIDENT_ROUTES } from './routes-incidents';
import { PRIVACY_ROUTES } from './routes-privacy';
import { RETENTION_ROUTES } from './routes-retention';
import { STATUS_ROUTES } from './routes-status';
import { REDACTION_ROUTES } from './routes-redaction';
import { SUPPORT_ROUTES } from './support-routes';

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
  ...CORE_ROUTES,
  ...ACCOUNT_ROUTES,
  ...SUPPORT_ROUTES,
  ...PRIVACY_ROUTES,
  ...RETENTION_ROUTES,
  ...INCIDENT_ROUTES,
  ...STATUS_ROUTES,
  ...REDACTION_ROUTES,
  openApiRoute,
];
