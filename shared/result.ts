/**
 * The shape every contract method returns. Nothing throws across the process boundary:
 * failures travel as data with a kind from a closed list, so callers can switch on it.
 */
export const ERROR_KINDS = [
  'invalid_input',
  'unknown_method',
  'not_found',
  'conflict',
  'unavailable',
  'forbidden',
  'internal',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface AppErrorData {
  kind: ErrorKind;
  message: string;
  /** Field-level problems for `invalid_input`, as `path: message` strings. */
  issues?: string[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (kind: ErrorKind, message: string, issues?: string[]): Result<never> => ({
  ok: false,
  error: issues ? { kind, message, issues } : { kind, message },
});

/** Thrown inside main to signal an expected failure; the registry turns it into a Result. */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly issues?: string[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}
