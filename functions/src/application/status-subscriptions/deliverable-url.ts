/** The SSRF guard at subscription time: the URL's static checks, then every address its host resolves to. */
import { InvalidInputError } from '../../domain/errors';
import { checkWebhookUrl, refusedResolution } from '../../domain/webhook-address';
import type { AddressResolver, SubscriptionSettings } from './ports';

function refused(reason: string): InvalidInputError {
  return new InvalidInputError('The webhook URL is refused', [{ path: 'webhookUrl', message: reason }]);
}

/** The URL as it will be stored, or `400` naming why it is refused. */
export async function deliverableUrl(deps: { addresses: AddressResolver; subscriptionSettings: SubscriptionSettings }, raw: string): Promise<string> {
  const policy = deps.subscriptionSettings.addressPolicy;
  const checked = checkWebhookUrl(raw, policy);
  if ('refused' in checked) throw refused(checked.refused);
  if (!checked.literal) {
    const reason = refusedResolution(await deps.addresses.resolve(checked.host), policy);
    if (reason !== null) throw refused(reason);
  }
  return checked.url;
}
