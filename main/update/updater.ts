/**
 * The Updater port over electron-updater. electron-updater does the work that must be right
 * (reading the channel file electron-builder writes, the staged-rollout id, the download, the
 * sha512 check, the Windows code-signature check, the install); this module only decides when to
 * ask, keeps the operator's channel, and turns its events into states the renderer can word.
 * It never imports electron-updater: the engine is passed in (the shell's `autoUpdater`, or under
 * Node in tests, one of its Linux updaters with a Node app adapter).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { UPDATE_CHANNELS, type UpdateChannel, type UpdateErrorCode, type UpdateState, type UpdateStatus } from '../../shared/updates';
import { readJsonFile, writeJsonFile } from '../json-file';
import type { LimiterTimers } from '../limits';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { Updater } from '../ports/updater';

/** What this module uses of electron-updater's AppUpdater; its updaters match it as they are. */
export interface UpdateEngine {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  allowPrerelease: boolean;
  channel: string | null;
  logger: { info(message?: unknown): void; warn(message?: unknown): void; error(message?: unknown): void; debug?(message: string): void } | null;
  checkForUpdates(): Promise<{ isUpdateAvailable: boolean; downloadPromise?: Promise<unknown> | null } | null>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
}

export const UPDATE_SETTINGS_FILE = 'update.json';
const DAY_MS = 24 * 60 * 60 * 1000;
const settingsSchema = z.object({ channel: z.enum(UPDATE_CHANNELS) }).strict();

export interface UpdaterOptions {
  engine: UpdateEngine;
  /** Where the operator's channel is kept (the shell's data folder). */
  dataDir: string;
  clock: Clock;
  logger: Logger;
  timers?: LimiterTimers;
  /** The first check waits this long after start, so it never competes with opening the window. */
  firstCheckAfterMs?: number;
  everyMs?: number;
}

export interface ScheduledUpdater extends Updater {
  /** Checks soon after start, then daily; stopped by `stop`. */
  start(): void;
  stop(): void;
}

const realTimers: LimiterTimers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };

/** electron-builder names the stable channel `latest`; a beta build's files are `beta*.yml`. */
const engineChannel = (channel: UpdateChannel) => (channel === 'beta' ? 'beta' : 'latest');

/** What went wrong, in a code the renderer words. Anything not recognised is `update_failed`, with the detail in the log. */
export function updateErrorCode(err: unknown): UpdateErrorCode {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  const name = String((err as { name?: unknown } | null)?.name ?? '');
  if (code === 'ERR_CHECKSUM_MISMATCH' || code === 'ERR_UPDATER_INVALID_SIGNATURE') return 'update_integrity';
  if (/^(ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET|ERR_NETWORK|ERR_INTERNET)/.test(code)) return 'update_unreachable';
  if (/^HTTP_ERROR_(5\d\d|408|429)$/.test(code)) return 'update_unreachable';
  if (code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND' || code === 'ERR_UPDATER_INVALID_UPDATE_INFO' || code === 'ERR_UPDATER_INVALID_VERSION' || code === 'ERR_UPDATER_NO_FILES_PROVIDED' || name === 'YAMLException' || /^HTTP_ERROR_4\d\d$/.test(code)) {
    return 'update_metadata';
  }
  return 'update_failed';
}

export function createUpdater(options: UpdaterOptions): ScheduledUpdater {
  const { engine, clock, logger } = options;
  const timers = options.timers ?? realTimers;
  const settingsFile = join(options.dataDir, UPDATE_SETTINGS_FILE);
  let channel: UpdateChannel = readJsonFile(settingsFile, settingsSchema)?.channel ?? 'stable';
  let state: UpdateState = { kind: 'idle' };
  let checkedAt: number | null = null;
  let timer: unknown = null;
  const listeners = new Set<(status: UpdateStatus) => void>();

  const status = (): UpdateStatus => ({ state, channel, checkedAt });
  const set = (next: UpdateState) => {
    state = next;
    const current = status();
    for (const listener of listeners) listener(current);
  };
  const fail = (err: unknown) => {
    const code = updateErrorCode(err);
    logger.warn('update: failed', { code, error: err instanceof Error ? err.message.slice(0, 500) : String(err) });
    set({ kind: 'error', code });
  };

  // Downloads start as soon as an update is found; signature and sha512 checks stay as electron-updater sets them.
  engine.autoDownload = true;
  engine.autoInstallOnAppQuit = true;
  engine.logger = {
    info: (m) => logger.info(`update: ${String(m)}`),
    warn: (m) => logger.warn(`update: ${String(m)}`),
    error: (m) => logger.error(`update: ${String(m)}`),
  };
  const applyChannel = () => {
    engine.channel = engineChannel(channel);
    // Setting a channel turns downgrades on; leaving beta must not install an older stable over a newer beta.
    engine.allowDowngrade = false;
    engine.allowPrerelease = channel === 'beta';
  };
  applyChannel();

  engine.on('checking-for-update', () => set({ kind: 'checking' }));
  engine.on('update-available', (info: { version: string }) => set({ kind: 'available', version: info.version }));
  engine.on('update-not-available', () => set({ kind: 'up_to_date' }));
  engine.on('download-progress', (p: { percent: number; transferred: number; total: number }) => {
    const version = state.kind === 'available' || state.kind === 'downloading' ? state.version : '';
    if (!version) return;
    set({ kind: 'downloading', version, percent: Math.min(100, Math.max(0, p.percent)), bytes: Math.round(p.transferred), total: Math.round(p.total) });
  });
  engine.on('update-downloaded', (info: { version: string }) => set({ kind: 'ready', version: info.version }));
  engine.on('error', (err: unknown) => fail(err));

  let inflight: Promise<UpdateStatus> | null = null;

  /**
   * One check at a time: asking during a check joins it. A download under way or a ready update
   * is left alone, since asking again would only start it over.
   */
  function check(): Promise<UpdateStatus> {
    if (inflight) return inflight;
    if (state.kind === 'available' || state.kind === 'downloading' || state.kind === 'ready') return Promise.resolve(status());
    inflight = (async () => {
      try {
        const result = await engine.checkForUpdates();
        // The download runs on; its end arrives as `update-downloaded` or `error`.
        result?.downloadPromise?.catch(() => undefined);
        if (result === null) set({ kind: 'unsupported', reason: 'not_packaged' });
      } catch (err) {
        if (state.kind !== 'error') fail(err);
      } finally {
        checkedAt = clock.now();
        inflight = null;
      }
      return status();
    })();
    return inflight;
  }

  /** The next check is armed before this one runs, so a slow or failed check never stops the daily rhythm. */
  const schedule = (ms: number) => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = timers.setTimeout(() => {
      timer = null;
      schedule(options.everyMs ?? DAY_MS);
      void check();
    }, ms);
  };
  return {
    status,
    check,
    setChannel(next) {
      if (next === channel) return status();
      channel = next;
      writeJsonFile(settingsFile, settingsSchema, { channel });
      applyChannel();
      // What was found on the other channel no longer applies; a download under way finishes and is offered.
      if (state.kind === 'up_to_date' || state.kind === 'error' || state.kind === 'idle') set({ kind: 'idle' });
      else set(state);
      void check();
      return status();
    },
    restartToUpdate() {
      if (state.kind !== 'ready') return false;
      logger.info('update: restarting to install', { version: state.version });
      engine.quitAndInstall(false, true);
      return true;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      schedule(options.firstCheckAfterMs ?? 10_000);
    },
    stop() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
  };
}
