import { describe, expect, it } from 'vitest';
import type { CompletionResult } from '../../../shared/ai';
import { prompt, useAiRig } from '../../support/ai';

describe('a ledger that cannot write', () => {
  const startRig = useAiRig();

  it('ends the request as internal after one paid call, keeping the reply and its cost, and never resends', async () => {
    const rig = await startRig();
    // A real failure inside SQLite: every cost row is refused, as a full disk would refuse it.
    rig.services.db.exec(`CREATE TRIGGER refuse_costs BEFORE INSERT ON ai_costs BEGIN SELECT RAISE(ABORT, 'disk is full'); END;`);

    const reply = await rig.services.registry.dispatch('ai.complete', prompt());
    expect(reply.ok).toBe(true);
    const r = (reply as { value: CompletionResult }).value;

    // One billable HTTP call in all: the ledger error is not a provider fault to retry or fall back on.
    expect(rig.sandbox.requests()).toHaveLength(1);
    expect(r.attempts).toHaveLength(1);
    expect(r.outcome).toBe('failed');
    expect(r.error).toEqual({ kind: 'internal', provider: 'azure', detail: null });
    // What was paid for is not lost: the reply, its usage and its cost come back, and the row is in the log.
    expect(r.text.length).toBeGreaterThan(0);
    expect(r.costMicros).toBeGreaterThan(0);
    expect(r.costMicros).toBe(r.attempts[0]!.costMicros);
    const logged = rig.logger.lines.map((l) => JSON.parse(l) as { msg: string; row?: { costMicros: number } });
    expect(logged.find((l) => l.msg === 'ledger: a cost row could not be recorded')?.row?.costMicros).toBe(r.costMicros);
    expect(rig.services.db.prepare('SELECT COUNT(*) AS n FROM ai_costs').get()).toEqual({ n: 0 });
  });
});
