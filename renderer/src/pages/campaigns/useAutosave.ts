import { useCallback, useEffect, useState } from 'react';
import type { Campaign } from '../../../../shared/campaigns';
import type { AppErrorData } from '../../../../shared/result';
import { isConnected, useConnection } from '../../api/client';
import { call } from '../../api/query';

export type Draft = Pick<Campaign, 'name' | 'type' | 'accountId' | 'audience' | 'template' | 'priceMicros' | 'mediaRefs' | 'personalization' | 'variants' | 'startAt'>;
const FIELDS = ['name', 'type', 'accountId', 'audience', 'template', 'priceMicros', 'mediaRefs', 'personalization', 'variants', 'startAt'] as const satisfies ReadonlyArray<keyof Draft>;

/** saved: nothing waits; pending: typed, about to go; offline: kept until the host is back; error: refused, retry offered. */
export type SaveState = 'saved' | 'pending' | 'saving' | 'offline' | 'error';

/** Typing pauses this long before a save goes. */
const DEBOUNCE_MS = 600;

const storageKey = (id: string) => `huntaze.composer.pending.${id}`;

/** Changes not yet saved, kept in the tab: a reload while the host is away loses nothing. */
function readStored(id: string): Partial<Draft> {
  try {
    const raw = sessionStorage.getItem(storageKey(id));
    return raw ? (JSON.parse(raw) as Partial<Draft>) : {};
  } catch {
    return {};
  }
}

function store(id: string, pending: Partial<Draft>) {
  try {
    if (Object.keys(pending).length === 0) sessionStorage.removeItem(storageKey(id));
    else sessionStorage.setItem(storageKey(id), JSON.stringify(pending));
  } catch {
    // A full or disabled storage only loses the reload safety net; the save itself still goes.
  }
}

/**
 * Holds what is not saved yet and sends it: one save at a time, the changed fields only. A
 * field that changed again while its save was on the way stays pending, so the newer value is
 * never overwritten by the older reply.
 */
class Saver {
  private pending: Partial<Draft>;
  private saving = false;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly id: string,
    private readonly report: (state: SaveState, error: AppErrorData | null) => void,
  ) {
    this.pending = readStored(id);
  }

  stored(): Partial<Draft> {
    return { ...this.pending };
  }

  hasPending(): boolean {
    return Object.keys(this.pending).length > 0;
  }

  change(fields: Partial<Draft>): void {
    Object.assign(this.pending, fields);
    store(this.id, this.pending);
    this.report('pending', null);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.save(), DEBOUNCE_MS);
  }

  async save(): Promise<boolean> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.saving) {
      this.again = true;
      return false;
    }
    const changes = { ...this.pending };
    if (Object.keys(changes).length === 0) {
      this.report('saved', null);
      return true;
    }
    if (!isConnected(useConnection.getState())) {
      this.report('offline', null);
      return false;
    }
    this.saving = true;
    this.report('saving', null);
    try {
      await call('campaigns.update', { id: this.id, ...changes });
    } catch (e) {
      const err = e as AppErrorData;
      this.saving = false;
      this.again = false;
      this.report(err.kind === 'unavailable' ? 'offline' : 'error', err);
      return false;
    }
    this.saving = false;
    for (const k of Object.keys(changes) as Array<keyof Draft>) if (this.pending[k] === changes[k]) delete this.pending[k];
    store(this.id, this.pending);
    if (!this.hasPending()) {
      this.again = false;
      this.report('saved', null);
      return true;
    }
    this.report('pending', null);
    // Typed during the save: its own timer sends it, unless a save was asked for meanwhile.
    if (this.again || this.timer === null) {
      this.again = false;
      return this.save();
    }
    return true;
  }
}

/**
 * The composer's draft: edits show at once and go to the core as `campaigns.update` of just the
 * changed fields, once typing pauses, at Ctrl/Cmd+S, when the composer closes, and when the host
 * comes back after a disconnection. Changes a reload interrupted (kept in the tab) are laid over
 * the loaded campaign and saved. Later answers of the campaign (this window's own saves echoed
 * back) do not overwrite what is being typed.
 */
export function useAutosave(id: string, campaign: Campaign) {
  const [status, setStatus] = useState<{ state: SaveState; error: AppErrorData | null }>({ state: 'saved', error: null });
  const [saver] = useState(() => new Saver(id, (state, error) => setStatus({ state, error })));
  const [draft, setDraft] = useState<Draft>(() => ({ ...(Object.fromEntries(FIELDS.map((f) => [f, campaign[f]])) as Draft), ...saver.stored() }));
  const connected = useConnection(isConnected);
  const save = useCallback(() => saver.save(), [saver]);

  /** Shown at once; saved after a pause. With `send: false` (an empty name) it is shown but not sent until valid. */
  const change = useCallback(
    (fields: Partial<Draft>, options: { send?: boolean } = {}) => {
      setDraft((d) => ({ ...d, ...fields }));
      if (options.send !== false) saver.change(fields);
    },
    [saver],
  );

  // Back from a disconnection (or opened with changes a reload interrupted): what waited goes now.
  useEffect(() => {
    if (connected && saver.hasPending()) void saver.save();
  }, [connected, saver]);

  // Leaving the composer (a link, Back, closing the tab) flushes what is still pending.
  useEffect(() => {
    const flush = () => {
      if (saver.hasPending()) void saver.save();
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [saver]);

  return { draft, change, save, state: status.state, error: status.error };
}
