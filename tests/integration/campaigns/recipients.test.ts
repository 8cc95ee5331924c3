import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Recipients } from '../../../main/campaigns/recipients';
import { CampaignStore } from '../../../main/campaigns/store';
import { openDatabase } from '../../../main/db/open';
import { manualClock } from '../../../main/ports/clock';
import { campaignCreateSchema } from '../../../shared/campaigns';
import { recordingLogger } from '../../support/ai';
import { useTempDirs } from '../../support/tmp';

describe('campaign recipients (real SQLite file)', () => {
  const tempDir = useTempDirs();
  const open = () => {
    const db = openDatabase(join(tempDir(), 'r.db'));
    const clock = manualClock();
    const store = new CampaignStore(db, clock, recordingLogger());
    const c = store.create(campaignCreateSchema.parse({ name: 'Wave' }));
    return { db, clock, store, c, r: new Recipients(db, clock) };
  };

  it('adds each fan once (re-adding an audience is idempotent) and counts every status', () => {
    const { r, c } = open();
    expect(r.add(c.id, ['f1', 'f2', 'f3'])).toBe(3);
    expect(r.add(c.id, ['f2', 'f4'])).toBe(1);
    expect(r.counts(c.id)).toEqual({ pending: 4, generated: 0, blocked: 0, queued: 0, sent: 0, failed: 0, unknown: 0 });
  });

  it('follows a message through its life; a late generation never overwrites a queued one; a sent one stays sent', () => {
    const { r, c } = open();
    r.add(c.id, ['f1', 'f2', 'f3']);
    expect(r.generated(c.id, [{ fanId: 'f1', text: 'Salut Ana 💕', source: 'ai', variant: 1 }, { fanId: 'f2', text: 'Hi there', source: 'template' }, { fanId: 'nobody', text: 'x', source: 'ai' }])).toBe(2);
    expect(r.blocked(c.id, 'f3', 'venmo', 'pay me on venmo')).toBe(true);
    expect(r.queued(c.id, 'f3', 's3')).toBe(false);
    expect(r.queued(c.id, 'f1', 's1')).toBe(true);
    expect(r.queued(c.id, 'f1', 's1b')).toBe(false);
    expect(r.generated(c.id, [{ fanId: 'f1', text: 'late', source: 'ai' }])).toBe(0);
    expect(r.fromSend('s1', 'failed', 'server_error')).toBe(true);
    expect(r.list(c.id, { limit: 10, statuses: ['failed'] }).items).toEqual([
      { fanId: 'f1', status: 'failed', reason: 'server_error', text: 'Salut Ana 💕', source: 'ai', variant: 1, sendId: 's1', updatedAt: expect.any(Number) },
    ]);
    expect(r.fromSend('s1', 'queued')).toBe(true);
    expect(r.fromSend('s1', 'sent')).toBe(true);
    expect(r.fromSend('s1', 'unknown')).toBe(false);
    expect(r.counts(c.id)).toMatchObject({ sent: 1, generated: 1, blocked: 1 });
    expect(r.list(c.id, { limit: 10, statuses: ['blocked'] }).items[0]).toMatchObject({ reason: 'venmo', text: 'pay me on venmo' });
  });

  it('pages by fan id with a status filter, and removing the campaign removes its recipients', () => {
    const { r, c, db } = open();
    const fans = Array.from({ length: 25 }, (_, i) => `fan-${String(i).padStart(3, '0')}`);
    r.add(c.id, fans);
    r.generated(c.id, fans.filter((_, i) => i % 2 === 0).map((fanId) => ({ fanId, text: 't', source: 'template' as const })));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = r.list(c.id, { limit: 4, statuses: ['generated'], ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((x) => x.fanId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(fans.filter((_, i) => i % 2 === 0));
    db.prepare('DELETE FROM campaigns WHERE id = ?').run(c.id);
    expect(r.counts(c.id).generated + r.counts(c.id).pending).toBe(0);
  });
});
