import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../../main/db/open';
import type { SendRow } from '../../../main/messaging/queue';
import { TurnCommit } from '../../../main/messaging/queue/turn';
import { silentLogger } from '../../../main/ports/logger';
import type { SendProgress } from '../../../shared/sending';
import { useSendingStacks } from '../../support/sending';

describe('group commit: one transaction per loop turn (real SQLite file)', () => {
  const { stack, defer, tempDir } = useSendingStacks();

  const turnOver = () => {
    const db: Db = openDatabase(join(tempDir(), 'turn.db'));
    defer(() => db.close());
    db.exec('CREATE TABLE marks (name TEXT NOT NULL UNIQUE)');
    const reports: SendRow[][] = [];
    const turn = new TurnCommit(db, (rows) => reports.push(rows), silentLogger);
    const mark = (name: string) => {
      db.prepare('INSERT INTO marks (name) VALUES (?)').run(name);
      return { id: name } as SendRow;
    };
    const marks = () => db.prepare('SELECT name FROM marks ORDER BY name').pluck().all();
    return { db, turn, reports, mark, marks };
  };

  it('commits the steps of one turn together, reports them once, and runs `after` only once the commit is done', async () => {
    const { db, turn, reports, mark, marks } = turnOver();
    const seen: Array<{ committed: boolean; inTransaction: boolean; visible: unknown[] }> = [];
    const steps = ['a', 'b', 'c'].map((name) =>
      turn.run((t) => {
        expect(db.inTransaction).toBe(true);
        t.report(mark(name));
        t.after((committed) => seen.push({ committed, inTransaction: db.inTransaction, visible: marks() }));
        return name;
      }),
    );
    // Nothing is written in the turn the steps were handed in.
    expect(marks()).toEqual([]);
    expect(await Promise.all(steps)).toEqual(['a', 'b', 'c']);
    expect(reports.map((r) => r.map((x) => x.id))).toEqual([['a', 'b', 'c']]);
    // Where the queue calls a transport: outside the transaction, every row of the batch durable.
    expect(seen).toEqual([0, 1, 2].map(() => ({ committed: true, inTransaction: false, visible: ['a', 'b', 'c'] })));
  });

  it('a step that throws fails alone: the others commit, its `after` hears false, its promise rejects', async () => {
    const { turn, reports, mark, marks } = turnOver();
    const heard: Array<[string, boolean]> = [];
    const good = turn.run((t) => {
      t.report(mark('good'));
      t.after((ok) => heard.push(['good', ok]));
    });
    const bad = turn.run((t) => {
      t.after((ok) => heard.push(['bad', ok]));
      mark('good'); // the UNIQUE constraint refuses it
    });
    await expect(bad).rejects.toThrow(/UNIQUE/);
    await good;
    expect(marks()).toEqual(['good']);
    expect(heard).toEqual([['good', true], ['bad', false]]);
    expect(reports).toHaveLength(1);
  });

  it('a batch that cannot be written (the file closed) rejects every step of the turn', async () => {
    const { db, turn } = turnOver();
    const ran: string[] = [];
    const steps = ['a', 'b'].map((name) => turn.run(() => ran.push(name)));
    db.close();
    for (const step of steps) await expect(step).rejects.toThrow(/not open/);
    await turn.settled();
    expect(ran).toEqual([]);
  });

  it('the queue claims the first sends of many accounts in one transaction: one progress report for all of them', async () => {
    const calls: SendProgress[][] = [];
    const s = await stack({ queue: { onProgress: (c) => calls.push(c) } });
    const accounts = [];
    for (const name of ['ann', 'bea', 'cat', 'dee', 'eve']) accounts.push(await s.addAccount(name));
    const sends = accounts.map((a) => s.queue.enqueue({ accountId: a.id, chatId: 'f', text: `hello ${a.platformAccountId}` }));
    calls.length = 0;
    await s.queue.start();
    await s.queue.idle();
    const claims = calls.filter((c) => c.some((x) => x.state === 'sending'));
    expect(claims).toHaveLength(1);
    expect(claims[0]!.map((x) => x.id).sort()).toEqual(sends.map((x) => x.id).sort());
    expect(sends.map((x) => s.queue.get(x.id)!.state)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    expect(s.server.allMessages()).toHaveLength(5);
  });
});
