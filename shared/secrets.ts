/**
 * Where the secret store keeps its data key. The contract, the core and Settings all derive
 * from this list: 'key-file' is the fallback where no OS keychain answers, shown as weaker.
 */
export const SECRET_STORE_KINDS = ['os-keychain', 'key-file'] as const;

export type SecretStoreKind = (typeof SECRET_STORE_KINDS)[number];
