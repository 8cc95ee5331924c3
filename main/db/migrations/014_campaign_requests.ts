import type { Migration } from './types';

/**
 * Which A/B variant each of a campaign's AI requests wrote for, so a variant's cost is read from
 * the ledger itself (ai_costs by request id) and the variants always add up to the campaign's
 * cost. `request_id` is stored as ai_costs stores it (main/ledger/ids.ts: a UUID as 16 bytes);
 * the ledger is left as it is.
 */
export const migration014: Migration = {
  version: 14,
  name: 'campaign_requests',
  up: `
    CREATE TABLE campaign_ai_requests (
      request_id  ANY NOT NULL PRIMARY KEY,
      campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
      variant     INTEGER NOT NULL CHECK (variant BETWEEN 0 AND 3)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX campaign_ai_requests_campaign ON campaign_ai_requests (campaign_id, variant);
  `,
};
