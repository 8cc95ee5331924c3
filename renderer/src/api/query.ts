import {
  onlineManager,
  QueryClient,
  useMutation,
  type UseMutationOptions,
  useQuery,
  useQueryClient,
  type UseQueryOptions,
} from '@tanstack/react-query';
import type { Input, MethodName, Output } from '../../../shared/contract';
import type { AppErrorData } from '../../../shared/result';
import { api, isConnected, useConnection } from './client';
import { applyAnswer, followEvents } from './invalidation';

declare module '@tanstack/react-query' {
  interface Register {
    // Every query and mutation fails with the core's structured error, worded by describeError.
    defaultError: AppErrorData;
  }
}

export type CallKey<M extends MethodName> = readonly [M, Input<M>];

/** The value, or a rejection with the core's structured error as it came. */
export async function call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> {
  const result = await api.call(method, input);
  if (result.ok) return result.value;
  throw result.error;
}

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // "Online" means the host answers (set below): while it is away a read waits, paused, and
      // the page keeps what it last showed instead of an error; it resumes when the host is back.
      networkMode: 'online',
      // Only a host that could not be reached is worth asking again; a refusal will not change.
      retry: (failures, error) => error.kind === 'unavailable' && failures < 2,
    },
    // A change is never held to be sent later: it fails at once, and the controls are disabled anyway.
    mutations: { networkMode: 'always', retry: false },
  },
});

// The core is on this machine: the browser's idea of being offline says nothing about it.
onlineManager.setEventListener((setOnline) => {
  setOnline(isConnected(useConnection.getState()));
  return useConnection.subscribe((now) => setOnline(isConnected(now)));
});

followEvents(api, queryClient);

// Events pushed while the socket was down are lost: everything on screen is read again.
useConnection.subscribe((now, before) => {
  if (now.state === 'open' && (before.state === 'closed' || before.state === 'foreign')) void queryClient.invalidateQueries();
});

type CallOptions<M extends MethodName> = Omit<UseQueryOptions<Output<M>, AppErrorData, Output<M>, CallKey<M>>, 'queryKey' | 'queryFn'>;

/** Reads a contract method through the cache, keyed by method and input; events keep it fresh. */
export function useCall<M extends MethodName>(method: M, input: Input<M>, options?: CallOptions<M>) {
  return useQuery({ queryKey: [method, input] as CallKey<M>, queryFn: () => call(method, input), ...options });
}

type ActOptions<M extends MethodName> = Omit<UseMutationOptions<Output<M>, AppErrorData, Input<M>>, 'mutationFn'>;

/** Calls a contract method that changes something; other windows learn of it from the core's event. */
export function useAct<M extends MethodName>(method: M, options?: ActOptions<M>) {
  const client = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: (input: Input<M>) => call(method, input),
    onSuccess: (value, ...rest) => {
      applyAnswer(client, method, value);
      return options?.onSuccess?.(value, ...rest);
    },
  });
}
