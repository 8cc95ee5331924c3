import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idFromDb, idToDb } from '../../../main/ledger/ids';

describe('ledger ids', () => {
  it('stores every canonical lowercase UUID as 16 bytes that read back as written', () => {
    fc.assert(
      fc.property(fc.uuid(), (u) => {
        const stored = idToDb(u);
        expect(Buffer.isBuffer(stored) && stored.length).toBe(16);
        expect(idFromDb(stored)).toBe(u);
      }),
    );
  });

  it('keeps anything else as text, exactly', () => {
    const near = ['01234567-89AB-cdef-0123-456789abcdef', '01234567-89ab-cdef-0123-456789abcdeg', '01234567x89ab-cdef-0123-456789abcdef', '01234567-89ab-cdef-0123-456789abcdé0', 'cost-1', ''];
    for (const id of near) expect(idToDb(id)).toBe(id);
    fc.assert(
      fc.property(fc.string(), (s) => {
        const stored = idToDb(s);
        expect(idFromDb(stored)).toBe(s);
      }),
    );
  });
});
