import { z } from 'zod';

// The policy forbids eval. Without this, zod probes `new Function` while it builds its first
// object schema; it survives the refusal, but the browser reports a CSP violation every load,
// noise that would hide a real one. Imported first in main.tsx; renderer/public/zod-jitless.js sets
// the same switch before any module runs, since a chunk the pages share may build schemas earlier.
z.config({ jitless: true });
