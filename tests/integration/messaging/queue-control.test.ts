import { describe, expect, it } from 'vitest';
import { csvCell } from '../../../main/messaging/queue';
import { createOnlyFansHttpTransport } from '../../../main/messaging/transports/onlyfans-http';
import { SANDBOX_KEY, useSendingStacks } from '../../support/sending';

describe('send queue control: pause, resume, cancel, export, removed accounts', () => {
  const { stack } = useSendingStacks();

  it('holds a paused account (also across a restart), sends on resume; pause state is announced', async () => {
    const s = await stack();
    const a = await s.addAccount('anna');
    expect(s.queue.pause({ accountId: a.id })).toBe(0);
    const sends = [1, 2, 3].map((n) => s.queue.enqueue({ accountId: a.id, chatId: 'f', text: `m${n}` }));
    await s.queue.start();
    await s.queue.idle();
    expect(s.server.allMessages()).toEqual([]);
    expect(s.queue.stats(a.id)[0]).toMatchObject({ paused: true, queued: 3 });
    expect(s.changes).toEqual([{ accountId: a.id, jobId: null }]);

    s.restart();
    await s.queue.start();
    await s.queue.idle();
    expect(s.server.allMessages()).toEqual([]);
    expect(s.queue.resume({ accountId: a.id })).toBe(3);
    await s.queue.idle();
    expect(s.server.messages('anna').map((m) => m.clientRef)).toEqual(sends.map((x) => x.id));
    expect(s.queue.stats(a.id)[0]).toMatchObject({ paused: false, queued: 0, sentLastMinute: 3 });
  });

  it('pauses and cancels one job while another job on the same account keeps going', async () => {
    const s = await stack();
    const a = await s.addAccount('bella');
    s.queue.pause({ jobId: 'campaign-x' });
    const held = [1, 2].map((n) => s.queue.enqueue({ accountId: a.id, chatId: `x${n}`, text: `x${n}`, jobId: 'campaign-x' }));
    const free = s.queue.enqueue({ accountId: a.id, chatId: 'q', text: 'quick one' });
    await s.queue.start();
    await s.queue.idle();
    expect(s.server.messages('bella').map((m) => m.text)).toEqual(['quick one']);
    expect(s.queue.get(free.id)!.state).toBe('sent');
    expect(s.queue.cancel({ jobId: 'campaign-x' })).toBe(2);
    expect(held.map((x) => s.queue.get(x.id))).toMatchObject([{ state: 'cancelled', reason: 'cancelled' }, { state: 'cancelled' }]);
    // Cancel leaves what already went: the sent one is untouched.
    expect(s.queue.cancel({ accountId: a.id })).toBe(0);
    s.queue.resume({ jobId: 'campaign-x' });
    await s.queue.idle();
    expect(s.server.messages('bella')).toHaveLength(1);
    expect(s.queue.list({ jobId: 'campaign-x', states: ['cancelled'] }).map((x) => x.id)).toEqual(held.map((x) => x.id).reverse());
  });

  it('exports an export account’s sends as quoted, formula-safe CSV; only confirmation counts as sent', async () => {
    const s = await stack();
    const a = await s.addAccount('cara', 'export');
    const texts = ['=HYPERLINK("http://evil")', 'hello, "you"', 'two\nlines', '+1 for you', 'plain'];
    const sends = texts.map((text, i) => s.queue.enqueue({ accountId: a.id, chatId: `fan-${i}`, text, ...(i === 4 ? { priceMicros: 4_990_000 } : {}) }));
    await s.queue.start();
    // Nothing goes automatically from an export account, and it does not keep the queue busy.
    await s.queue.idle();
    expect(s.server.allMessages()).toEqual([]);
    expect(s.queue.get(sends[0]!.id)!.state).toBe('queued');

    const out = s.queue.exportPending(a.id, 'csv', 4);
    expect(out.ids).toEqual(sends.slice(0, 4).map((x) => x.id));
    expect(out.content.split('\r\n')).toEqual([
      'send_id,chat_id,text,price_usd,media_ids',
      `${sends[0]!.id},fan-0,"'=HYPERLINK(""http://evil"")",,`,
      `${sends[1]!.id},fan-1,"hello, ""you""",,`,
      `${sends[2]!.id},fan-2,"two\nlines",,`,
      `${sends[3]!.id},fan-3,'+1 for you,,`,
      '',
    ]);
    expect(s.queue.stats(a.id)[0]).toMatchObject({ sending: 4, queued: 1, sentLastMinute: 0 });
    const text = s.queue.exportPending(a.id, 'text', 10);
    expect(text.ids).toEqual([sends[4]!.id]);
    expect(text.content).toBe('To fan-4 (PPV $4.990000):\nplain');

    expect(s.queue.confirm([sends[0]!.id, sends[1]!.id], true)).toBe(2);
    expect(s.queue.confirm([sends[2]!.id], false)).toBe(1);
    // Confirming again changes nothing.
    expect(s.queue.confirm([sends[0]!.id], true)).toBe(0);
    expect(sends.slice(0, 3).map((x) => s.queue.get(x.id))).toMatchObject([
      { state: 'sent' }, { state: 'sent' }, { state: 'failed', reason: 'not_sent_by_operator' },
    ]);
    expect(s.queue.retry(sends[2]!.id)).toMatchObject({ state: 'queued' });

    // Export rows awaiting the operator are not reconciled at restart: they stay with the operator.
    s.restart();
    await s.queue.start();
    expect(s.queue.get(sends[3]!.id)!.state).toBe('sending');
    expect(s.queue.stats(a.id)[0]).toMatchObject({ sentLastMinute: 2, sending: 2, queued: 1 });
  });

  it('quotes cells per RFC 4180 and defuses every formula trigger', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', 'ok', ' padded ', 'a"b'].map(csvCell)).toEqual([
      "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", 'ok', '" padded "', '"a""b"',
    ]);
  });

  it('fails the queued sends of a removed account, and of an account with no usable transport', async () => {
    const s = await stack();
    const a = await s.addAccount('dana');
    s.queue.pause({ accountId: a.id });
    const send = s.queue.enqueue({ accountId: a.id, chatId: 'f', text: 'orphan' });
    await s.accounts.remove(a.id);
    await s.queue.refreshAccounts();
    expect(s.queue.get(send.id)).toMatchObject({ state: 'failed', reason: 'account_removed' });

    // A sandbox account seen by a profile that cannot reach the sandbox (transportFor → null).
    s.restart({ transportFor: () => null });
    const b = await s.addAccount('erin');
    await s.queue.start();
    const stranded = s.queue.enqueue({ accountId: b.id, chatId: 'f', text: 'nowhere to go' });
    await s.queue.idle();
    expect(s.queue.get(stranded.id)).toMatchObject({ state: 'failed', reason: 'not_configured' });
    expect(s.server.allMessages()).toEqual([]);
  });
  it('an account removed while its send is in flight: the send settles, then everything it left queued fails account_removed', async () => {
    const s = await stack();
    s.restart({ transportFor: (acc) => createOnlyFansHttpTransport({ baseUrl: s.server.url, apiKey: SANDBOX_KEY, account: acc.platformAccountId, timeoutMs: 200 }) });
    const a = await s.addAccount('fern');
    // Held until the client gives up: the removal lands while the first send is in flight.
    s.server.script('fern', [{ kind: 'timeout' }]);
    const sends = [1, 2].map((n) => s.queue.enqueue({ accountId: a.id, chatId: 'f', text: `m${n}` }));
    await s.queue.start();
    await s.until(() => s.events.some((e) => e.id === sends[0]!.id && e.state === 'sending'));
    await s.accounts.remove(a.id);
    await s.queue.refreshAccounts();
    await s.until(() => sends.every((x) => s.queue.get(x.id)!.state === 'failed'));
    expect(sends.map((x) => s.queue.get(x.id)!.reason)).toEqual(['account_removed', 'account_removed']);
    expect(s.server.allMessages()).toEqual([]);
  });
});
