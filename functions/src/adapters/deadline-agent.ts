/**
 * The HTTP agent that binds firebase-admin's requests to Auth to deadline scopes (see
 * `deadlines.ts`). Its own module, loaded with the clients: `node:https` is not needed to
 * answer a cold instance's first health check.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { armCancellation } from './deadlines';

/** Error code of a socket that a deadline scope destroyed (seen by firebase-admin as a network error). */
export const DEADLINE_SOCKET_ERROR = 'TUKI_DEADLINE';

/** Destroys a socket still busy when its request's scope ends; disarmed when the request lets go of it. */
function bindSocket(socket: Duplex): void {
  const disarm = armCancellation('auth', () =>
    socket.destroy(Object.assign(new Error('the request deadline passed before Firebase Auth answered'), { code: DEADLINE_SOCKET_ERROR })),
  );
  const done = (): void => {
    disarm();
    socket.off('free', done).off('close', done);
  };
  socket.on('free', done).on('close', done);
}

/**
 * An HTTP agent for firebase-admin (`httpAgent`): each request it carries is bound to the
 * deadline scope it was made in. Keep-alive sockets are re-bound each time they are reused.
 */
export function deadlineAgent(protocol: 'http:' | 'https:'): http.Agent {
  const Base = protocol === 'https:' ? https.Agent : http.Agent;
  class DeadlineAgent extends Base {
    override createConnection(options: http.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
      const socket = super.createConnection(options, callback);
      if (socket) bindSocket(socket);
      return socket;
    }

    override reuseSocket(socket: Socket, request: http.ClientRequest): void {
      bindSocket(socket);
      super.reuseSocket(socket, request);
    }
  }
  return new DeadlineAgent({ keepAlive: true });
}

