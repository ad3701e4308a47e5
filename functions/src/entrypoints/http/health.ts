/** `GET /v1/health`: liveness, with the region that answered and the version. No I/O. */
import { instanceConfig } from '../../wiring';
import type { ApiResponse } from './router';

export function health(): ApiResponse {
  const config = instanceConfig();
  return { status: 200, body: { status: 'ok', region: config.TUKI_REGION, version: config.TUKI_VERSION } };
}
