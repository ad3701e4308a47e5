/**
 * The deployed entry module (`main` in package.json): registers every function of the
 * manifest with the Functions Framework. Each function is deployed with its `entryPoint`;
 * locally, `scripts/local-host.ts` serves the same registrations.
 */
import { instanceConfig, maskCrashes } from './wiring';
import './entrypoints/api';
import './entrypoints/events/route-ticket';
import './entrypoints/events/relay-outbox';
import './entrypoints/events/escalation-sweep';
import './entrypoints/events/record-support-figures';
import './entrypoints/events/record-heartbeat';
import './entrypoints/events/deliver-notification';
import './entrypoints/events/backup-snapshot';
import './entrypoints/events/restore-drill';
import './entrypoints/events/run-retention';
import './entrypoints/events/process-erasure-request';
import './entrypoints/events/handle-severity-one';
import './entrypoints/events/project-status-summary';
import './entrypoints/events/resolve-incident-tickets';
import './entrypoints/events/run-maintenance-windows';
import './entrypoints/events/fan-out-status-update';
import './entrypoints/events/attempt-webhook-delivery';
import './entrypoints/events/retry-webhook-deliveries';

// An error that crashes the instance is printed by the framework or Node, not by a logger of
// ours: mask it first, it may quote what someone wrote.
maskCrashes();

// Parse the configuration at cold start: an invalid environment stops the instance with an
// error that names every bad key, before any request is taken.
instanceConfig();
