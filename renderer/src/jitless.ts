import { z } from 'zod';

// The policy forbids eval. Without this, zod probes `new Function` while it builds its first
// object schema; it survives the refusal, but the browser reports a CSP violation every load,
// noise that would hide a real one. Imported first in main.tsx, before any schema exists.
z.config({ jitless: true });
