export { fullJitterDelayMs, redactError } from './backoff';
export { createOutbox, type Outbox, type OutboxDeps } from './outbox';
export { OutboxRelay, type RelayOptions, type RelayPass, type RelayTimers } from './relay';
export {
  type BackoffPolicy,
  DEFAULT_BACKOFF,
  DEFAULT_LEASE_MS,
  defineConsumer,
  delivered,
  type DeliveryOutcome,
  failed,
  type OutboxConsumer,
  OutboxError,
  type OutboxItem,
  type OutboxMessage,
  type OutboxTopicStatus,
} from './types';
