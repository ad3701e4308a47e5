/**
 * The kinds of event tuki's use cases emit, named for what they are for in the domain. An
 * event has a kind (which consumer it is for) and a `type` within it (what happened:
 * `ticket.created`, `csat.invitation`, …); use cases never name a Pub/Sub topic.
 *
 * Adding an event *type* to an existing kind changes nothing here. Adding a *kind* is one
 * line in {@link EVENT_KINDS}; the compiler then asks for its topic in `EVENT_TOPICS`
 * (`manifest.ts`), the one place where kinds meet topics.
 */
export const EVENT_KINDS = [
  /** A ticket needs an agent at its tier: created or escalated (routing takes it). */
  'ticket.needs_agent',
  /** A ticket reached severity 1 (the incident process takes it). */
  'ticket.severity_one',
  /** A message for people: agents, managers, customers (`csat.invitation`, `sla.warning`, …). */
  'notification',
  /** A fact about a ticket's life that the support figures count (`domain/support-figures.ts`). */
  'ticket.lifecycle',
  /** A person asked to be erased (their erasure request's processing takes it). */
  'erasure.requested',
  /** An incident changed (the status summary projects it). */
  'incident.changed',
  /** An incident was resolved (its linked tickets are resolved with it). */
  'incident.resolved',
  /** An update appeared on the public status page (status-page subscriptions take it). */
  'status.update_published',
] as const;

export type EventKind = (typeof EVENT_KINDS)[number];
