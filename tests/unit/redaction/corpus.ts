/** The labelled redaction corpus; it lives with the benchmark, which scores tuki and redact-pii on it. */
export * from '../../../scripts/bench/redaction-corpus';
