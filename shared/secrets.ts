/** Where secrets are kept; `weaker` marks the stores Settings warns about. */
export const SECRET_STORE_KINDS = ['os-keychain', 'encrypted-file', 'electron-safe-storage'] as const;
export type SecretStoreKind = (typeof SECRET_STORE_KINDS)[number];
