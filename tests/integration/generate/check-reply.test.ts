import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkReply, splitEvenly, variantOf } from '../../../main/campaigns/generate';
import { fans, persona } from './support';

type Op = { kind: 'ok' } | { kind: 'drop' } | { kind: 'slot'; slot: unknown } | { kind: 'text'; text: string } | { kind: 'dup'; of: number };

const badText = fc.constantFrom('', '   ', 'x'.repeat(persona.maxChars + 1), 'send it on PayPal instead', 'my V-e-n-m-o is open');

describe('checking a batch reply, item by item (property)', () => {
  it('keeps exactly the fans whose slot came once with a usable text, whatever else the reply did', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.array(
              fc.oneof(
                { weight: 5, arbitrary: fc.constant<Op>({ kind: 'ok' }) },
                { weight: 1, arbitrary: fc.constant<Op>({ kind: 'drop' }) },
                { weight: 1, arbitrary: fc.constantFrom<unknown>(0, n + 1, -3, 1.5, '1', null).map<Op>((slot) => ({ kind: 'slot', slot })) },
                { weight: 1, arbitrary: badText.map<Op>((text) => ({ kind: 'text', text })) },
                { weight: 1, arbitrary: fc.integer({ min: 0, max: n - 1 }).map<Op>((of) => ({ kind: 'dup', of })) },
              ),
              { minLength: n, maxLength: n },
            ),
            fc.integer(),
          ),
        ),
        ([n, drawn, seed]) => {
          const batch = fans(n);
          // A copy of one's own slot is just a correct item.
          const ops = drawn.map((op, i): Op => (op.kind === 'dup' && op.of === i ? { kind: 'ok' } : op));
          const items: unknown[] = [];
          ops.forEach((op, i) => {
            const text = `message for ${batch[i]!.name}`;
            if (op.kind === 'ok') items.push({ slot: i + 1, text });
            else if (op.kind === 'slot') items.push({ slot: op.slot, text });
            else if (op.kind === 'text') items.push({ slot: i + 1, text: op.text });
            else if (op.kind === 'dup') items.push({ slot: op.of + 1, text });
          });
          // Order in the reply does not matter: the slot says whose it is.
          const shuffled = items.map((item, i) => ({ item, key: (i * 2654435761 + seed) % 1000 })).sort((a, b) => a.key - b.key).map((x) => x.item);
          const { good, bad } = checkReply(JSON.stringify({ messages: shuffled }), batch, persona);

          // Who claims each slot: a fan is kept when exactly one item claims its slot with a usable text.
          // (Two items that swap slots are indistinguishable from a correct reply, and are kept.)
          const claims = new Map<number, Array<string | null>>();
          ops.forEach((op, i) => {
            const slot = op.kind === 'ok' || op.kind === 'text' ? i : op.kind === 'dup' ? op.of : null;
            const usable = op.kind === 'text' ? null : `message for ${batch[i]!.name}`;
            if (slot !== null) claims.set(slot, [...(claims.get(slot) ?? []), usable]);
          });
          const keptText = (i: number) => (claims.get(i)?.length === 1 ? claims.get(i)![0]! : null);
          const expected = new Map(batch.flatMap((f, i) => (keptText(i) ? [[f.id, keptText(i)!] as const] : [])));
          expect(new Map([...good].sort())).toEqual(new Map([...expected].sort()));
          expect([...good.keys(), ...bad.map((f) => f.id)].sort()).toEqual(batch.map((f) => f.id).sort());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on any reply text, and every fan is either kept or sent back', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ messages: v }))), fc.integer({ min: 1, max: 10 }), (text, n) => {
        const batch = fans(n);
        const { good, bad } = checkReply(text, batch, persona);
        expect(good.size + bad.length).toBe(n);
      }),
      { numRuns: 500 },
    );
  });

  it('splits fans into batches of at most the size, differing by at most one, in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 100 }), (n, size) => {
        const items = Array.from({ length: n }, (_, i) => i);
        const batches = splitEvenly(items, size);
        expect(batches.flat()).toEqual(items);
        expect(batches.length).toBe(Math.ceil(n / size));
        if (n === 0) return;
        // At most two sizes, so at most two response schemas (each one a cache miss once).
        const sizes = batches.map((b) => b.length);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(size);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('assigns each fan the same variant every time, and spreads fans over every variant', () => {
    const ids = fans(2_000).map((f) => f.id);
    for (const variants of [2, 3, 4]) {
      const counts = new Array<number>(variants).fill(0);
      for (const id of ids) {
        const v = variantOf('cmp-1', id, variants);
        expect(variantOf('cmp-1', id, variants)).toBe(v);
        counts[v]!++;
      }
      // A fair split of 2 000 fans puts well over a fifth of the even share in each variant.
      for (const c of counts) expect(c).toBeGreaterThan(2_000 / variants / 5);
    }
  });
});
