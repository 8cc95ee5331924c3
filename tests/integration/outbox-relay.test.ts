import { describe, expect, it } from 'vitest';
import { type DeliveryOutcome, OutboxError } from '../../main/outbox';
import { manualTimers, note, noteConsumer, NOW, useOutboxRig } from '../support/outbox';

describe('outbox relay', () => {
  const rig = useOutboxRig();

  it('delivers due rows once and records them delivered', async () => {
    const { outbox, clock, enqueue, rows, track } = rig();
    enqueue(note('a'), note('b'));
    const consumer = noteConsumer();
    const relay = track(outbox.relay([consumer]));
    expect(await relay.runOnce()).toMatchObject({ claimed: 2, delivered: 2, retried: 0, dead: 0, busy: false });
    expect(consumer.calls).toHaveLength(1);
    expect(consumer.calls[0]!.map((i) => [i.key, i.payload.text, i.attempt, i.createdAt])).toEqual([
      ['a', 'note a', 1, NOW],
      ['b', 'note b', 1, NOW],
    ]);
    expect(rows().map((r) => [r.state, r.attempts, r.delivered_at, r.lease_owner])).toEqual([
      ['delivered', 1, NOW, null],
      ['delivered', 1, NOW, null],
    ]);
    clock.advance(60 * 60_000);
    expect(await relay.runOnce()).toMatchObject({ claimed: 0 });
    expect(consumer.calls).toHaveLength(1);
  });

  it('re-delivers a row whose relay crashed once its lease ends, and ignores the dead relay’s late answer', async () => {
    const { outbox, clock, enqueue, row, track, logger } = rig();
    enqueue(note('n1'));
    // Relay A claims the row and never answers: a crash between claim and acknowledgement.
    let lateAnswer!: (outcomes: DeliveryOutcome[]) => void;
    const crashed = track(outbox.relay([noteConsumer(undefined, { deliver: () => new Promise((resolve) => (lateAnswer = resolve)) })], { owner: 'relay-a' }));
    const crashedPass = crashed.runOnce();
    expect(row('note', 'n1')).toMatchObject({ state: 'pending', attempts: 1, lease_until: NOW + 30_000 });
    expect(row('note', 'n1')!.lease_owner).toMatch(/^relay-a:/);

    const consumer = noteConsumer(() => ({ ok: false, error: 'HTTP 503' }));
    const survivor = track(outbox.relay([consumer], { owner: 'relay-b', random: () => 0.5 }));
    clock.advance(29_999);
    expect(await survivor.runOnce()).toMatchObject({ claimed: 0 });

    clock.advance(1);
    expect(await survivor.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    expect(consumer.calls[0]!.map((i) => [i.key, i.attempt])).toEqual([['n1', 2]]);
    const retried = row('note', 'n1')!;
    expect(retried).toMatchObject({ state: 'pending', attempts: 2, last_error: 'HTTP 503', lease_owner: null });

    // Relay A wakes up and says "delivered": its lease is gone, so what B decided stands.
    lateAnswer([{ ok: true }]);
    await crashedPass;
    expect(row('note', 'n1')).toEqual(retried);
    expect(logger.lines.some((l) => l.includes('lease lost'))).toBe(true);
  });

  it('says why a row came back after a lease ended, and buries it if that was its last attempt', async () => {
    const { outbox, clock, enqueue, row, track } = rig();
    const hang = () => track(outbox.relay([noteConsumer(undefined, { deliver: () => new Promise(() => {}) })]));
    enqueue(note('n1'));
    void hang().runOnce();
    clock.advance(30_000);
    void hang().runOnce();
    expect(row('note', 'n1')).toMatchObject({ attempts: 2, lease_until: NOW + 60_000 });
    expect(row('note', 'n1')!.last_error).toMatch(/^the lease of attempt 1 ended without an outcome/);

    // n1 has now used two attempts, n2 one; both leases end together under a consumer allowed two.
    enqueue(note('n2'));
    void hang().runOnce();
    clock.advance(30_000);
    const consumer = noteConsumer(undefined, { maxAttempts: 2 });
    expect(await track(outbox.relay([consumer])).runOnce()).toMatchObject({ claimed: 2, dead: 1, delivered: 1 });
    expect(consumer.calls.flat().map((i) => i.key)).toEqual(['n2']);
    expect(row('note', 'n1')!.last_error).toMatch(/^the lease of attempt 2 ended/);
    expect(row('note', 'n1')).toMatchObject({ state: 'dead', attempts: 2, lease_owner: null });
    expect(row('note', 'n2')).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('retries an item the consumer gave no outcome for', async () => {
    const { outbox, enqueue, row, track } = rig();
    enqueue(note('n1'), note('n2'));
    const relay = track(outbox.relay([noteConsumer(undefined, { deliver: async () => [{ ok: true }, { ok: 'maybe' } as never] })], { random: () => 0 }));
    expect(await relay.runOnce()).toMatchObject({ delivered: 1, retried: 1 });
    expect(row('note', 'n2')!.last_error).toBe('the note consumer returned no valid outcome for this item');
  });

  it('backs off with full jitter: uniform below a cap that doubles up to the maximum', async () => {
    const { outbox, clock, enqueue, row, track } = rig();
    enqueue(note('n1'));
    const draws = [0.5, 0.999, 0, 0.25, 0.75, 0.999];
    const relay = track(outbox.relay([noteConsumer(() => ({ ok: false, error: 'HTTP 500' }), { maxAttempts: 10 })], { random: () => draws.shift()! }));
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      expect(await relay.runOnce()).toMatchObject({ retried: 1 });
      const r = row('note', 'n1')!;
      waits.push(r.next_attempt_at - clock.now());
      clock.advance(r.next_attempt_at - clock.now());
    }
    // caps 1 s, 2 s, 4 s, 8 s, 8 s (maxMs), 8 s
    expect(waits).toEqual([500, 1998, 0, 2000, 6000, 7992]);
    expect(row('note', 'n1')!.attempts).toBe(6);
  });

  it('waits at least what a server asked for with retry-after', async () => {
    const { outbox, clock, enqueue, row, track } = rig();
    enqueue(note('n1'));
    const relay = track(outbox.relay([noteConsumer(() => ({ ok: false, error: 'HTTP 429', retryAfterMs: 45_000 }))], { random: () => 0.999 }));
    await relay.runOnce();
    expect(row('note', 'n1')!.next_attempt_at).toBe(NOW + 45_000);
    clock.advance(44_999);
    expect(await relay.runOnce()).toMatchObject({ claimed: 0 });
  });

  it('dead-letters a row after maxAttempts with its last error, secrets taken out', async () => {
    const { outbox, clock, enqueue, row, track, logger } = rig();
    enqueue(note('n1'));
    const error = 'HTTP 503 from https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX with Bearer abc.def.ghi';
    const relay = track(outbox.relay([noteConsumer(() => ({ ok: false, error }), { maxAttempts: 3 })], { random: () => 0 }));
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(await relay.runOnce());
      clock.advance(1);
    }
    expect(outcomes.map((p) => [p.retried, p.dead])).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    const dead = row('note', 'n1')!;
    expect(dead).toMatchObject({ state: 'dead', attempts: 3, lease_owner: null });
    expect(dead.dead_at).toBe(NOW + 2);
    expect(dead.last_error).toBe('HTTP 503 from https://hooks.slack.com/… with Bearer [redacted] (gave up after 3 attempts)');
    expect(logger.lines.join('\n')).not.toContain('secret');
    expect(logger.lines.filter((l) => l.includes('dead letter'))).toHaveLength(1);
  });

  it('dead-letters a permanent failure at once, and retries every item when deliver throws', async () => {
    const { outbox, enqueue, row, track } = rig();
    enqueue(note('perm'), note('t1'));
    const relay = track(outbox.relay([noteConsumer((i) => (i.key === 'perm' ? { ok: false, error: 'HTTP 400 bad channel', permanent: true } : { ok: true }))]));
    expect(await relay.runOnce()).toMatchObject({ delivered: 1, dead: 1 });
    expect(row('note', 'perm')).toMatchObject({ state: 'dead', attempts: 1, last_error: 'HTTP 400 bad channel' });

    enqueue(note('t2'), note('t3'));
    const throwing = track(
      outbox.relay([noteConsumer(undefined, { deliver: async () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:9')) })], { random: () => 0 }),
    );
    expect(await throwing.runOnce()).toMatchObject({ retried: 2 });
    expect(row('note', 't2')!.last_error).toBe('Error: ECONNREFUSED 127.0.0.1:9');
  });

  it('sends a payload that fails its schema to dead letter and delivers the rest of the batch', async () => {
    const { outbox, enqueue, row, track } = rig();
    enqueue(note('good1'), { topic: 'note', key: 'bad', payload: { text: 42 } }, note('good2'));
    const consumer = noteConsumer();
    const relay = track(outbox.relay([consumer]));
    expect(await relay.runOnce()).toMatchObject({ claimed: 3, delivered: 2, dead: 1 });
    expect(consumer.calls[0]!.map((i) => i.key)).toEqual(['good1', 'good2']);
    const bad = row('note', 'bad')!;
    expect(bad).toMatchObject({ state: 'dead', attempts: 1 });
    expect(bad.last_error).toMatch(/^payload does not match the note schema: text: .*expected string/i);
  });

  it('claims at most a batch per pass and says when there is more', async () => {
    const { outbox, enqueue, track } = rig();
    enqueue(note('1'), note('2'), note('3'));
    const consumer = noteConsumer(undefined, { batchSize: 2 });
    const relay = track(outbox.relay([consumer]));
    expect(await relay.runOnce()).toMatchObject({ claimed: 2, busy: true });
    expect(await relay.runOnce()).toMatchObject({ claimed: 1, busy: false });
    expect(consumer.calls.map((c) => c.length)).toEqual([2, 1]);
  });

  it('refuses a consumer with bad settings or a second consumer for a topic', () => {
    const { outbox } = rig();
    expect(() => outbox.relay([noteConsumer(undefined, { batchSize: 0 })])).toThrow(OutboxError);
    expect(() => outbox.relay([noteConsumer(undefined, { backoff: { baseMs: 10, maxMs: 5 } })])).toThrow(/maxMs/);
    expect(() => outbox.relay([noteConsumer(), noteConsumer()])).toThrow(/Two outbox consumers for topic note/);
  });

  it('runs on its timers: at once when woken, then when the next row falls due, never after stop', async () => {
    const { outbox, clock, enqueue, row, track } = rig();
    const timers = manualTimers();
    let fail = false;
    const relay = track(
      outbox.relay([noteConsumer(() => (fail ? { ok: false, error: 'HTTP 429', retryAfterMs: 3_000 } : { ok: true }))], { timers, pollMs: 5_000, random: () => 0 }),
    );
    enqueue(note('n1'));
    relay.start();
    expect(timers.armed.map((t) => t.ms)).toEqual([0]);
    let next = timers.scheduled();
    timers.fire();
    expect(await next).toBe(5_000); // nothing left: idle until the poll
    expect(row('note', 'n1')!.state).toBe('delivered');

    fail = true;
    enqueue(note('n2'));
    relay.wake();
    expect(timers.armed.map((t) => t.ms)).toEqual([0]);
    next = timers.scheduled();
    timers.fire();
    expect(await next).toBe(3_000); // n2 falls due again in 3 s
    clock.advance(3_000);

    await relay.stop();
    expect(timers.armed).toEqual([]);
    relay.wake();
    expect(timers.armed).toEqual([]);
  });

  it('start() delivers without anyone calling runOnce, and stop() aborts and waits for the delivery in flight', async () => {
    const { outbox, enqueue, row, track } = rig();
    enqueue(note('n1'));
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const relay = track(
      outbox.relay(
        [
          noteConsumer(undefined, {
            deliver: (items, { signal }) =>
              new Promise((resolve) => {
                started();
                signal.addEventListener('abort', () => resolve(items.map(() => ({ ok: false, error: 'aborted: the relay is stopping' }))));
              }),
          }),
        ],
        { random: () => 0 },
      ),
    );
    relay.start();
    await inFlight;
    expect(row('note', 'n1')!.lease_owner).not.toBeNull();
    await relay.stop();
    expect(row('note', 'n1')).toMatchObject({ state: 'pending', attempts: 1, last_error: 'aborted: the relay is stopping', lease_owner: null });
  });

  it('reports each settled batch after its outcomes are committed, and survives a listener that throws', async () => {
    const { outbox, enqueue, row, track, logger } = rig();
    enqueue(note('a'), note('b'));
    const settled: unknown[] = [];
    const consumer = noteConsumer((item) => (item.key === 'a' ? { ok: true } : { ok: false, error: 'HTTP 500', permanent: true }));
    const relay = track(
      outbox.relay([consumer], {
        onSettled: ({ topic, keys }) => {
          settled.push({ topic, keys, states: keys.map((k) => row(topic, k)!.state) });
          throw new Error('listener broke');
        },
      }),
    );
    expect(await relay.runOnce()).toMatchObject({ delivered: 1, dead: 1 });
    expect(settled).toEqual([{ topic: 'note', keys: ['a', 'b'], states: ['delivered', 'dead'] }]);
    expect(logger.lines.some((l) => l.includes('onSettled failed') && l.includes('listener broke'))).toBe(true);
    expect(await relay.runOnce()).toMatchObject({ claimed: 0 });
    expect(settled).toHaveLength(1);
  });
});
