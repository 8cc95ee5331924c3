/**
 * The browser host used to keep one OS keychain entry per secret through keytar. On Linux keytar
 * stored Secret Service items with the attributes {service, account} under the generic schema,
 * while @napi-rs/keyring searches {service, username, target}, so it cannot see them (verified
 * against gnome-keyring); on Windows keytar wrote UTF-8 blobs that keyring reads as UTF-16. So
 * keytar stays, as an optional dependency loaded only here, to read those entries once.
 */
export interface LegacyKeytar {
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

// Not a literal: keytar is optional, so neither the type checker nor the bundler may need it.
const KEYTAR = 'keytar';

/** keytar, or null when it is not installed (an optional dependency that failed to build). */
export async function loadKeytar(): Promise<LegacyKeytar | null> {
  let mod: LegacyKeytar & { default?: LegacyKeytar };
  try {
    mod = (await import(/* @vite-ignore */ KEYTAR)) as LegacyKeytar & { default?: LegacyKeytar };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return null;
    throw err;
  }
  // keytar is CommonJS: depending on the loader its functions sit on the namespace or on `default`.
  return mod.default ?? mod;
}
