import type { z } from 'zod';
import { type MethodName, type MethodTable, methods, type Output, type ParsedInput } from '../../shared/contract';
import { AppError, fail, issuesOf, ok, type Result } from '../../shared/result';
import type { Logger } from '../ports/logger';

/** A capability's handlers, typed from its contract fragment: `main/<capability>/handlers.ts` returns one. */
export type HandlersFor<T extends MethodTable> = {
  [M in keyof T]: (input: z.output<T[M]['input']>) => z.output<T[M]['output']> | Promise<z.output<T[M]['output']>>;
};

export type Handlers = {
  [M in MethodName]: (input: ParsedInput<M>) => Output<M> | Promise<Output<M>>;
};

export interface Registry {
  /** Never throws and never rejects: every outcome is a Result. */
  dispatch(method: unknown, input: unknown): Promise<Result<unknown>>;
}

export function createRegistry(handlers: Handlers, logger: Logger): Registry {
  return createTableRegistry(methods, handlers, logger);
}

/**
 * A registry over one fragment of the contract: what a host answers itself (the Electron shell
 * answers `updates.*`) with the same checks on the way in and out as the core's.
 */
export function createTableRegistry<T extends MethodTable>(table: T, handlers: HandlersFor<T>, logger: Logger): Registry {
  return {
    async dispatch(method, input) {
      if (typeof method !== 'string' || !Object.hasOwn(table, method)) {
        return fail('unknown_method', 'unknown_method', { method: JSON.stringify(String(method)).slice(0, 80) });
      }
      const schemas = table[method]!;
      const parsed = schemas.input.safeParse(input);
      if (!parsed.success) return fail('invalid_input', 'invalid_input', { method }, issuesOf(parsed.error));
      let value: unknown;
      try {
        const handler = handlers[method] as (input: unknown) => unknown;
        value = await handler(parsed.data);
      } catch (err) {
        if (err instanceof AppError) return fail(err.kind, err.code, err.params, err.issues);
        // The detail goes to the log only: internal messages can name paths or upstream replies.
        logger.error('handler failed', { method, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
        return fail('internal', 'internal', { method });
      }
      // The output schema is the allow-list of what may cross: unknown fields are stripped, and a
      // reply that breaks it is a bug reported as such, never passed on.
      const out = schemas.output.safeParse(value);
      if (out.success) return ok(out.data);
      logger.error('handler reply broke its output schema', { method, issues: out.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`) });
      return fail('internal', 'internal', { method });
    },
  };
}
