/**
 * Authentication: a Firebase Auth ID token on every request, and the caller's role and scope
 * loaded fresh from the principal directory, so that deactivation or a withdrawn training
 * record takes effect on the next request.
 */
import { assertStaffMayAct, type Principal } from '../domain/access';
import { DependencyUnavailableError, DomainError, ERROR_CODES, ForbiddenError } from '../domain/errors';
import type { Clock, Logger, PrincipalDirectory, TokenVerifier, VerifiedToken } from './ports';
import { recordActivity, type ActivityRecorder } from './retention/record-activity';

export interface AuthenticationDeps {
  readonly tokens: TokenVerifier;
  readonly principals: PrincipalDirectory;
  readonly logger: Logger;
  /** Staff must have signed in through SSO or with a second factor. */
  readonly staffStrongAuth: 'required' | 'optional';
  /** Records the day each person was last active (the inactive-customer rule), once a day. */
  readonly activity: ActivityRecorder;
  readonly clock: Clock;
}

function unauthenticated(detail: string): DomainError {
  return new DomainError(ERROR_CODES.unauthenticated, detail);
}

/** SSO providers (SAML, OIDC) or any second factor count as strong sign-in. */
function isStrongSignIn(token: VerifiedToken): boolean {
  return token.secondFactor !== null || token.signInProvider.startsWith('saml.') || token.signInProvider.startsWith('oidc.');
}

/** The principal behind an `Authorization: Bearer <ID token>` header; `401` or `403` otherwise. */
export async function authenticate(deps: AuthenticationDeps, authorization: string | undefined): Promise<Principal> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  const idToken = match?.[1];
  if (idToken === undefined) throw unauthenticated('An Authorization: Bearer <Firebase ID token> header is required');
  let token: VerifiedToken;
  try {
    token = await deps.tokens.verify(idToken);
  } catch (error) {
    // Auth not answering says nothing about the token: the caller may retry (503), not sign in again (401).
    if (error instanceof DependencyUnavailableError) throw error;
    deps.logger.info('ID token refused', { reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown' });
    throw unauthenticated('The ID token is invalid or expired');
  }
  const principal = await deps.principals.find(token.uid);
  if (principal === null) throw new ForbiddenError('This account is not registered with tuki');
  if (principal.kind === 'staff') {
    assertStaffMayAct(principal);
    if (deps.staffStrongAuth === 'required' && !isStrongSignIn(token)) {
      throw new ForbiddenError('Staff must sign in through SSO or with a second factor');
    }
  }
  await recordActivity(deps, principal.uid);
  return principal;
}
