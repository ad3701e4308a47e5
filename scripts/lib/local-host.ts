/**
 * The local host: serves every function of the manifest with the real Functions Framework
 * (its own server per function, as `functions-framework --target=<entryPoint>` would), the
 * API on its port and each event function on a port of its own, and wires Pub/Sub the way
 * production does: every topic with a dead-letter topic, and a push subscription per event
 * function whose endpoint path is `/projects/<project>/topics/<topic>` so the framework turns
 * the push body into a `messagePublished` CloudEvent. The code served is the deployed code:
 * `functions/src/index.ts` registers the functions here and in the cloud alike.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PubSub } from '@google-cloud/pubsub';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { FUNCTIONS, TOPICS, type FunctionDefinition } from '../../functions/src/manifest';

export interface LocalHostOptions {
  readonly project: string;
  /** Port of the API (0 for any free port). */
  readonly apiPort: number;
  /** First port for event functions (0 for free ports). */
  readonly eventPortBase: number;
  /** Name prefix for push subscriptions, so two hosts (two "regions") can share one emulator. */
  readonly subscriptionPrefix?: string;
}

export interface LocalHost {
  readonly apiUrl: string;
  readonly servers: ReadonlyMap<string, Server>;
  close(): Promise<void>;
}

const listen = (server: Server, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

/** Creates every topic and its dead-letter topic (idempotent). */
export async function ensureTopics(pubsub: PubSub): Promise<void> {
  for (const name of Object.values(TOPICS)) {
    for (const topic of [name, `${name}-dead-letter`]) {
      const [exists] = await pubsub.topic(topic).exists();
      if (!exists) await pubsub.createTopic(topic).catch((e: { code?: number }) => { if (e.code !== 6) throw e; });
    }
  }
}

async function ensurePushSubscription(pubsub: PubSub, project: string, fn: FunctionDefinition, prefix: string, port: number): Promise<void> {
  if (fn.trigger.kind !== 'pubsub') return;
  const topic = fn.trigger.topic;
  const name = `${prefix}${fn.name}`;
  const subscription = pubsub.subscription(name);
  const [exists] = await subscription.exists();
  if (exists) await subscription.delete();
  await pubsub.topic(topic).createSubscription(name, {
    pushConfig: { pushEndpoint: `http://127.0.0.1:${port}/projects/${project}/topics/${topic}` },
    ackDeadlineSeconds: 60,
    deadLetterPolicy: { deadLetterTopic: `projects/${project}/topics/${topic}-dead-letter`, maxDeliveryAttempts: 5 },
    retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 10 } },
  });
}

/** Starts the functions and their subscriptions. The caller sets the emulator environment first. */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  await import('../../functions/src/index');
  const pubsub = new PubSub({ projectId: options.project });
  await ensureTopics(pubsub);
  const servers = new Map<string, Server>();
  let apiUrl = '';
  let next = options.eventPortBase;
  for (const fn of FUNCTIONS) {
    const server = getTestServer(fn.entryPoint);
    if (fn.trigger.kind === 'http') {
      const port = await listen(server, options.apiPort);
      apiUrl = `http://127.0.0.1:${port}`;
    } else {
      const port = await listen(server, next === 0 ? 0 : next++);
      await ensurePushSubscription(pubsub, options.project, fn, options.subscriptionPrefix ?? '', port);
    }
    servers.set(fn.entryPoint, server);
  }
  return {
    apiUrl,
    servers,
    close: async () => {
      await Promise.all(
        FUNCTIONS.filter((fn) => fn.trigger.kind === 'pubsub').map((fn) =>
          pubsub.subscription(`${options.subscriptionPrefix ?? ''}${fn.name}`).delete().catch(() => undefined),
        ),
      );
      // Requests in flight finish first (their handlers still use the clients); idle
      // keep-alive connections close at once, and stragglers after a few seconds.
      await Promise.all(
        [...servers.values()].map(
          (s) =>
            new Promise<void>((r) => {
              s.close(() => r());
              s.closeIdleConnections();
              setTimeout(() => s.closeAllConnections(), 5_000).unref();
            }),
        ),
      );
      await pubsub.close();
    },
  };
}
