/**
 * The words of SLA clocks, apart from the clock rules in `sla.ts` so that modules that only
 * name severities and targets (event schemas, figures) do not load the calendar and its
 * time-zone support at cold start.
 */

/** Ticket severities, 1 (most severe) to 4. */
export const SEVERITIES = [1, 2, 3, 4] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The three promises of a ticket, in the order they are reported. */
export const SLA_TARGET_NAMES = ['firstResponse', 'nextUpdate', 'resolution'] as const;
export type SlaTargetName = (typeof SLA_TARGET_NAMES)[number];
