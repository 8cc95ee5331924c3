import { migration001 } from './001_settings';
import { migration002 } from './002_ai_ledger';
import { migration003 } from './003_outbox';
import { migration004 } from './004_cost_rollups';
import { migration005 } from './005_budgets_alerts';
import { migration006 } from './006_cost_rollups_compact';
import { migration007 } from './007_rollups_trail';
import { migration008 } from './008_ai_requests';
import { migration009 } from './009_limiter_state';
import { migration010 } from './010_accounts';
import { migration011 } from './011_sends';
import { migration012 } from './012_audiences';
import { migration013 } from './013_campaigns';
import { migration014 } from './014_campaign_requests';
import type { Migration } from './types';

/** Append only: a shipped migration is never edited, a new one gets the next number. */
export const migrations: readonly Migration[] = [
  migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008,
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
  migration014,
];

/** The last migration's number, not the count: branches land their numbers independently. */
export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]!.version;
export type { Migration };
