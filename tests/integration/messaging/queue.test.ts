import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result';
import { useSendingStacks } from '../../support/sending';

describe('send queue against the loopback OnlyFans sandbox (real SQLite file)', () => {
  const { stack } = useSendingStacks();

  it('paces three sends on one account: in order, each sent once, no violation at the server', async () => {
    const s = await stack();
    const a = await s.addAccount('anna');
    const sends = ['one', 'two', 'three'].map((text) => s.queue.enqueue({ accountId: a.id, chatId: 'fan-1', text }));
    expect(sends.map((x) => x.state)).toEqual(['queued', 'queued', 'queued']);
    await s.queue.start();
    await s.queue.idle();

    expect(s.server.messages('anna').map((m) => [m.text, m.clientRef])).toEqual(sends.map((x) => [x.text, x.id]));
    expect(s.server.violations()).toEqual([]);
    const after = sends.map((x) => s.queue.get(x.id)!);
    expect(after.map((x) => [x.state, x.attempts, x.reason])).toEqual([['sent', 1, null], ['sent', 1, null], ['sent', 1, null]]);
    expect(after.map((x) => x.remoteId)).toEqual(s.server.messages('anna').map((m) => m.id));
    // Every step was announced: queued, sending, sent for each.
    for (const x of sends) expect(s.events.filter((e) => e.id === x.id).map((e) => e.state)).toEqual(['queued', 'sending', 'sent']);
    const [stats] = s.queue.stats(a.id);
    expect(stats).toMatchObject({ sentLastMinute: 3, sentLastHour: 3, sentLastDay: 3, queued: 0, sending: 0, failed: 0, throttled: 0, paused: false, offline: false });
    expect(stats!.recent).toHaveLength(3);
  });

  it('takes turns across jobs on one account, FIFO within each job', async () => {
    const s = await stack();
    const a = await s.addAccount('bella');
    s.queue.enqueueMany([1, 2, 3].map((n) => ({ accountId: a.id, chatId: `a${n}`, text: `campaign A ${n}`, jobId: 'job-a' })));
    s.queue.enqueueMany([1, 2].map((n) => ({ accountId: a.id, chatId: `b${n}`, text: `campaign B ${n}`, jobId: 'job-b' })));
    await s.queue.start();
    await s.queue.idle();
    expect(s.server.messages('bella').map((m) => m.text)).toEqual(['campaign A 1', 'campaign B 1', 'campaign A 2', 'campaign B 2', 'campaign A 3']);
    expect(s.server.violations()).toEqual([]);
  });

  it('runs accounts in parallel: a slow account does not hold the others back', async () => {
    const s = await stack();
    const slow = await s.addAccount('slow');
    const fast = await s.addAccount('fast');
    // The slow account's transport holds its first request unanswered until the client times out.
    s.server.script('slow', [{ kind: 'timeout' }]);
    s.queue.enqueue({ accountId: slow.id, chatId: 'f', text: 'held' });
    const quick = [1, 2, 3].map((n) => s.queue.enqueue({ accountId: fast.id, chatId: 'f', text: `quick ${n}` }));
    await s.queue.start();
    await s.until(() => quick.every((q) => s.queue.get(q.id)!.state === 'sent'));
    // The fast account finished while the slow one's request was still held by the server.
    expect(s.server.held()).toBe(1);
    expect(s.server.messages('fast')).toHaveLength(3);
    await s.queue.idle();
    expect(s.server.messages('slow').map((m) => m.text)).toEqual(['held']);
    expect(s.server.violations()).toEqual([]);
  });

  it('refuses a text with a restricted word: typed error with the word, nothing stored, nothing reaches the server', async () => {
    const s = await stack();
    const a = await s.addAccount('cara');
    s.restricted.set(['forbiddenword']);
    await s.queue.start();
    let error: unknown;
    try {
      s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'this has ForbiddenWord inside' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: 'invalid_input', code: 'restricted_word', params: { word: 'forbiddenword' } });
    // One bad text refuses the whole batch: a campaign is stored entirely or not at all.
    expect(() => s.queue.enqueueMany([{ accountId: a.id, chatId: 'f', text: 'fine' }, { accountId: a.id, chatId: 'f', text: 'forbiddenword' }])).toThrow(AppError);
    await s.queue.idle();
    expect(s.queue.list({})).toEqual([]);
    expect(s.server.allMessages()).toEqual([]);
  });

  it('returns the first send for a reused idempotency key and sends it once', async () => {
    const s = await stack();
    const a = await s.addAccount('dana');
    const first = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'hello', idempotencyKey: 'k-1' });
    const again = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'hello', idempotencyKey: 'k-1' });
    expect(again.id).toBe(first.id);
    await s.queue.start();
    await s.queue.idle();
    expect(s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'hello', idempotencyKey: 'k-1' })).toMatchObject({ id: first.id, state: 'sent' });
    expect(s.server.messages('dana')).toHaveLength(1);
  });

  it('refuses bad input and unknown accounts with typed errors', async () => {
    const s = await stack();
    const a = await s.addAccount('erin');
    expect(() => s.queue.enqueue({ accountId: a.id, chatId: '', text: 'x' })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => s.queue.enqueue({ accountId: 'no-such-account', chatId: 'f', text: 'x' })).toThrow(expect.objectContaining({ code: 'account_not_found' }));
    expect(s.queue.list({})).toEqual([]);
  });
});
