import type { Campaign, CampaignState, CampaignType, PersonalizationMode } from '../../shared/campaigns';
import type { Db } from '../db/open';

export interface CampaignRow {
  seq: number;
  id: string;
  name: string;
  type: CampaignType;
  account_id: string | null;
  audience: string | null;
  template: string;
  price_micros: number | null;
  media_refs: string;
  personalization: PersonalizationMode;
  variants: number;
  start_at: number | null;
  state: CampaignState;
  archived_at: number | null;
  created_at: number;
  updated_at: number;
  state_changed_at: number;
}

type ContentColumns = Pick<CampaignRow, 'name' | 'type' | 'account_id' | 'audience' | 'template' | 'price_micros' | 'media_refs' | 'personalization' | 'variants' | 'start_at'>;
type Content = Omit<Campaign, 'id' | 'state' | 'archived' | 'createdAt' | 'updatedAt' | 'stateChangedAt'>;

/** Content fields to columns; a field left undefined stays undefined (autosave leaves its column alone). */
export function toColumns(input: Partial<Content>): { [K in keyof ContentColumns]?: ContentColumns[K] } {
  return {
    name: input.name,
    type: input.type,
    account_id: input.accountId,
    audience: input.audience === undefined ? undefined : input.audience === null ? null : JSON.stringify(input.audience),
    template: input.template,
    price_micros: input.priceMicros,
    media_refs: input.mediaRefs === undefined ? undefined : JSON.stringify(input.mediaRefs),
    personalization: input.personalization,
    variants: input.variants,
    start_at: input.startAt,
  };
}

export function fromRow(row: CampaignRow): Campaign {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    accountId: row.account_id,
    audience: row.audience === null ? null : (JSON.parse(row.audience) as Campaign['audience']),
    template: row.template,
    priceMicros: row.price_micros,
    mediaRefs: JSON.parse(row.media_refs) as string[],
    personalization: row.personalization,
    variants: row.variants,
    startAt: row.start_at,
    state: row.state,
    archived: row.archived_at !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    stateChangedAt: row.state_changed_at,
  };
}

/**
 * Search folds case and accents on both sides ("ete" finds "Été"): SQLite's own LIKE folds
 * ASCII only, and operators write French and Spanish. Registered per connection as SQL `fold`.
 */
export const foldText = (s: string): string => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

export function registerFold(db: Db): void {
  db.function('campaign_fold', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? foldText(v) : v));
}

/** The operator's text, folded, as a literal substring: `%`, `_` and the escape itself match only themselves. */
export const likePattern = (search: string): string => `%${foldText(search).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
