// The policy forbids eval, and zod probes `new Function` as it builds its first object schema.
// A classic script runs before any module chunk, whatever chunk the bundler puts zod and the
// schemas in (a chunk shared with the pages runs before the entry's own code), so the switch is
// set here, on the global zod reads its configuration from.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
