import { useCallback, useEffect, useState } from 'react';
import type { Input, MethodName, Output } from '../../../shared/contract';
import type { AppErrorData } from '../../../shared/result';
import { api } from './client';

export interface MethodState<M extends MethodName> {
  data: Output<M> | undefined;
  error: AppErrorData | undefined;
  loading: boolean;
  reload: () => void;
}

/** Calls a contract method on mount (and every `refreshMs` if given); keeps the last good value. */
export function useMethod<M extends MethodName>(method: M, input: Input<M>, refreshMs?: number): MethodState<M> {
  const [state, setState] = useState<Omit<MethodState<M>, 'reload'>>({ data: undefined, error: undefined, loading: true });
  // The serialized input is the dependency, so a new object with the same content is no change.
  const inputKey = JSON.stringify(input);

  const reload = useCallback(() => {
    void api.call(method, JSON.parse(inputKey) as Input<M>).then((result) =>
      setState((prev) =>
        result.ok ? { data: result.value, error: undefined, loading: false } : { data: prev.data, error: result.error, loading: false },
      ),
    );
  }, [method, inputKey]);

  useEffect(() => {
    reload();
    if (!refreshMs) return;
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [reload, refreshMs]);

  return { ...state, reload };
}
