import type { z } from 'zod';
import { type MethodName, methods, type Output, type ParsedInput, isMethodName } from '../../shared/contract';
import { AppError, fail, ok, type Result } from '../../shared/result';
import type { Logger } from '../ports/logger';

export type Handlers = {
  [M in MethodName]: (input: ParsedInput<M>) => Output<M> | Promise<Output<M>>;
};

export interface Registry {
  /** Never throws and never rejects: every outcome is a Result. */
  dispatch(method: unknown, input: unknown): Promise<Result<unknown>>;
}

const describeIssues = (error: z.ZodError): string[] =>
  error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`);

export function createRegistry(handlers: Handlers, logger: Logger): Registry {
  return {
    async dispatch(method, input) {
      if (!isMethodName(method)) {
        return fail('unknown_method', `Unknown method ${JSON.stringify(String(method)).slice(0, 80)}`);
      }
      const parsed = methods[method].input.safeParse(input);
      if (!parsed.success) {
        return fail('invalid_input', `Invalid input for ${method}`, describeIssues(parsed.error));
      }
      try {
        const handler = handlers[method] as (input: unknown) => unknown;
        return ok(await handler(parsed.data));
      } catch (err) {
        if (err instanceof AppError) return fail(err.kind, err.message, err.issues);
        // The detail goes to the log only: internal messages can name paths or upstream replies.
        logger.error('handler failed', { method, error: err instanceof Error ? err.stack ?? err.message : String(err) });
        return fail('internal', `${method} failed unexpectedly; the details are in the log.`);
      }
    },
  };
}
