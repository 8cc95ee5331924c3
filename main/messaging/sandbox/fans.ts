/**
 * The sandbox's fans: a deterministic set per account (a seeded PRNG on the account name), with
 * spend, subscription dates and tags spread the way an agency's creators see them, so imports,
 * segments and campaigns have realistic material and every run sees the same fans.
 */
const DAY_MS = 86_400_000;

export interface SandboxFan {
  id: string;
  username: string;
  displayName: string;
  /** Dollars, two decimals, as the API sends them. */
  totalSpent: number;
  subscribedAt: string;
  expiresAt: string | null;
  tags: string[];
}

const FIRST = ['Alex', 'Sam', 'Jordan', 'Chris', 'Taylor', 'Max', 'Léa', 'Hugo', 'Noah', 'Emma', 'Lucas', 'Mia', 'Jules', 'Chloé', 'Ryan', 'Zoé'];
const TAGS = ['vip', 'chatty', 'ppv_buyer', 'tipper', 'inactive', 'birthday_month', 'custom_requests', 'new'];

/** FNV-1a, so the seed depends only on the account name. */
function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Spend in cents: 40 % never bought, then regulars, big spenders and a few whales. */
function spendCents(r: () => number): number {
  const u = r();
  if (u < 0.4) return 0;
  if (u < 0.75) return 100 + Math.floor(r() * 19_900);
  if (u < 0.93) return 20_000 + Math.floor(r() * 80_000);
  return 100_000 + Math.floor(r() * 1_900_000);
}

export function generateFans(account: string, count: number, now: number): SandboxFan[] {
  const r = mulberry32(seedOf(account));
  const fans: SandboxFan[] = [];
  for (let i = 0; i < count; i++) {
    const first = FIRST[Math.floor(r() * FIRST.length)]!;
    const subscribed = now - Math.floor(r() * 720 * DAY_MS);
    // Monthly renewals: a quarter of fans let theirs lapse, the rest expire within the month ahead.
    const lapsed = r() < 0.25;
    const expires = lapsed ? subscribed + Math.floor(r() * 3 + 1) * 30 * DAY_MS : now + Math.floor(r() * 30 * DAY_MS) + 1;
    const tags = TAGS.filter(() => r() < 0.15);
    fans.push({
      id: `${account}-fan-${String(i + 1).padStart(5, '0')}`,
      username: `${first.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')}${Math.floor(r() * 10_000)}`,
      displayName: first,
      totalSpent: spendCents(r) / 100,
      subscribedAt: new Date(subscribed).toISOString(),
      expiresAt: new Date(Math.min(expires, lapsed ? now - 1 : expires)).toISOString(),
      tags,
    });
  }
  return fans;
}

/** Cursors are opaque to clients; here they are the next offset. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string): number | null {
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}
