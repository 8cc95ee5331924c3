import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../../shared/updates';
import type { LimiterTimers } from '../../../main/limits';
import { manualClock } from '../../../main/ports/clock';
import { silentLogger } from '../../../main/ports/logger';
import { createUpdater, UPDATE_SETTINGS_FILE } from '../../../main/update/updater';
import { useTempDirs } from '../../support/tmp';
import { nodeAppAdapter, RecordingDebUpdater, sha512Of, startUpdateFeed, type UpdateFeed } from '../../support/update-feed';

const tempDir = useTempDirs();
const feeds: UpdateFeed[] = [];
afterEach(async () => {
  for (const feed of feeds.splice(0)) await feed.close();
});

async function feed() {
  const f = await startUpdateFeed();
  feeds.push(f);
  return f;
}

/** A 300 KiB artifact: several progress events on the way. */
const artifact = () => randomBytes(300 * 1024);

function setUp(f: UpdateFeed, version = '1.0.0', dir = tempDir()) {
  const app = nodeAppAdapter(dir, version, f.url);
  const engine = new RecordingDebUpdater(app);
  const seen: UpdateStatus[] = [];
  const updater = createUpdater({ engine, dataDir: join(dir, 'userData'), clock: manualClock(), logger: silentLogger });
  updater.onChange((s) => seen.push(s));
  /** Resolves with the status once `predicate` holds (the download runs on after `check` answers). */
  const until = (predicate: (s: UpdateStatus) => boolean) =>
    new Promise<UpdateStatus>((resolve) => {
      if (predicate(updater.status())) return resolve(updater.status());
      const off = updater.onChange((s) => {
        if (predicate(s)) {
          off();
          resolve(s);
        }
      });
    });
  const settled = () => until((s) => ['ready', 'error', 'up_to_date'].includes(s.state.kind));
  return { app, engine, updater, seen, until, settled, dir };
}

/** A staging id whose last 32 bits put this install at `fraction` of the rollout (electron-updater reads bytes 12..15). */
function stagingId(fraction: number): string {
  const tail = Math.min(0xffffffff, Math.round(fraction * 0xffffffff)).toString(16).padStart(8, '0');
  return `8f1c2a4e-7d3b-5c6a-9e2f-4b1a${tail}`;
}

describe('updates from an electron-builder feed (electron-updater under Node)', () => {
  it('offers a newer version, downloads it with progress, checks its sha512 and installs only on restart', async () => {
    const f = await feed();
    const bytes = artifact();
    f.publish('latest', { version: '1.1.0', bytes });
    const { engine, updater, seen, settled } = setUp(f);

    expect(updater.restartToUpdate()).toBe(false);
    const answered = await updater.check();
    expect(['available', 'downloading', 'ready']).toContain(answered.state.kind);
    const end = await settled();

    expect(end.state).toEqual({ kind: 'ready', version: '1.1.0' });
    const kinds = seen.map((s) => s.state.kind);
    expect(kinds.slice(0, 2)).toEqual(['checking', 'available']);
    const progress = seen.flatMap((s) => (s.state.kind === 'downloading' ? [s.state] : []));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ version: '1.1.0', total: bytes.length });
    expect(progress.map((p) => p.bytes)).toEqual([...progress.map((p) => p.bytes)].sort((a, b) => a - b));
    expect(end.checkedAt).not.toBeNull();
    expect(f.requests).toContain('/latest-linux.yml');
    expect(f.requests).toContain('/huntaze-desktop_1.1.0_amd64.deb');

    expect(engine.installs).toEqual([]);
    expect(updater.restartToUpdate()).toBe(true);
    expect(engine.installs).toHaveLength(1);
    const installed = engine.installs[0]!;
    expect(installed).toMatchObject({ isSilent: false, isForceRunAfter: true });
    expect(sha512Of(readFileSync(installed.file!))).toBe(sha512Of(bytes));
  });

  it('says up to date for the same version and never offers an older one', async () => {
    const f = await feed();
    f.publish('latest', { version: '1.0.0', bytes: artifact() });
    const same = setUp(f, '1.0.0');
    expect((await same.updater.check()).state).toEqual({ kind: 'up_to_date' });

    const older = setUp(f, '1.2.0');
    expect((await older.updater.check()).state).toEqual({ kind: 'up_to_date' });
    expect(f.requests.filter((p) => p.endsWith('.deb'))).toEqual([]);
  });

  it('refuses a download whose sha512 does not match the release, and has nothing to install', async () => {
    const f = await feed();
    const bytes = artifact();
    f.publish('latest', { version: '1.1.0', bytes, sha512: sha512Of(Buffer.concat([bytes, Buffer.from('tampered')])) });
    const { engine, updater, settled, dir } = setUp(f);

    await updater.check();
    const end = await settled();

    expect(end.state).toEqual({ kind: 'error', code: 'update_integrity' });
    expect(f.requests).toContain('/huntaze-desktop_1.1.0_amd64.deb');
    expect(updater.restartToUpdate()).toBe(false);
    expect(engine.installs).toEqual([]);
    // Neither the tampered file nor a half-written one stays where an install would look for it.
    const pending = join(dir, 'cache', 'huntaze-desktop-updater', 'pending');
    const left = existsSync(pending) ? readdirSync(pending).filter((name) => name.endsWith('.deb')) : [];
    expect(left).toEqual([]);
  });

  it('honours a staged rollout: an install above the percentage is not offered, one below is', async () => {
    const f = await feed();
    f.publish('latest', { version: '1.1.0', bytes: artifact(), stagingPercentage: 30 });

    const inside = tempDir();
    mkdirSync(join(inside, 'userData'), { recursive: true });
    writeFileSync(join(inside, 'userData', '.updaterId'), stagingId(0.29));
    const offered = setUp(f, '1.0.0', inside);
    await offered.updater.check();
    expect((await offered.settled()).state).toEqual({ kind: 'ready', version: '1.1.0' });

    const outside = tempDir();
    mkdirSync(join(outside, 'userData'), { recursive: true });
    writeFileSync(join(outside, 'userData', '.updaterId'), stagingId(0.31));
    const held = setUp(f, '1.0.0', outside);
    expect((await held.updater.check()).state).toEqual({ kind: 'up_to_date' });

    // At 100 % everyone gets it, the install held back a moment ago included.
    f.publish('latest', { version: '1.1.0', bytes: artifact(), stagingPercentage: 100 });
    const later = setUp(f, '1.0.0', outside);
    await later.updater.check();
    expect((await later.settled()).state).toMatchObject({ kind: 'ready' });
  });

  it('keeps one rollout id per install, so the decision is the same after a restart', async () => {
    const f = await feed();
    f.publish('latest', { version: '1.0.0', bytes: artifact(), stagingPercentage: 50 });
    const dir = tempDir();
    await setUp(f, '1.0.0', dir).updater.check();
    const idFile = join(dir, 'userData', '.updaterId');
    const id = readFileSync(idFile, 'utf8');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    await setUp(f, '1.0.0', dir).updater.check();
    expect(readFileSync(idFile, 'utf8')).toBe(id);
  });

  it('the beta channel sees a prerelease that stable does not, and the choice is kept', async () => {
    const f = await feed();
    f.publish('latest', { version: '1.0.0', bytes: artifact() });
    f.publish('beta', { version: '1.1.0-beta.1', bytes: artifact() });
    const dir = tempDir();
    const first = setUp(f, '1.0.0', dir);
    expect((await first.updater.check()).state).toEqual({ kind: 'up_to_date' });

    first.updater.setChannel('beta');
    const end = await first.until((s) => s.state.kind === 'ready' || s.state.kind === 'error');
    expect(end).toMatchObject({ channel: 'beta', state: { kind: 'ready', version: '1.1.0-beta.1' } });
    expect(f.requests).toContain('/beta-linux.yml');
    expect(JSON.parse(readFileSync(join(dir, 'userData', UPDATE_SETTINGS_FILE), 'utf8'))).toEqual({ channel: 'beta' });

    // After a restart the channel is still beta; a damaged settings file falls back to stable.
    const again = setUp(f, '1.0.0', dir);
    expect(again.updater.status().channel).toBe('beta');
    writeFileSync(join(dir, 'userData', UPDATE_SETTINGS_FILE), '{"channel":"nightly"}');
    expect(setUp(f, '1.0.0', dir).updater.status().channel).toBe('stable');
  });

  it('going back to stable does not install an older stable over a newer beta', async () => {
    const f = await feed();
    f.publish('latest', { version: '1.0.0', bytes: artifact() });
    const dir = tempDir();
    mkdirSync(join(dir, 'userData'), { recursive: true });
    writeFileSync(join(dir, 'userData', UPDATE_SETTINGS_FILE), '{"channel":"beta"}');
    const { updater } = setUp(f, '1.1.0-beta.1', dir);
    expect(updater.status().channel).toBe('beta');
    updater.setChannel('stable');
    const end = await new Promise<UpdateStatus>((resolve) => {
      const off = updater.onChange((s) => {
        if (s.state.kind === 'up_to_date' || s.state.kind === 'ready' || s.state.kind === 'error') {
          off();
          resolve(s);
        }
      });
    });
    expect(end.state).toEqual({ kind: 'up_to_date' });
    expect(f.requests.filter((p) => p.endsWith('.deb'))).toEqual([]);
  });

  it('words a server that is down, errs or answers nonsense, and recovers on the next check', async () => {
    const f = await feed();
    f.answer('/latest-linux.yml', 503, 'maintenance');
    const { updater, settled } = setUp(f);
    expect((await updater.check()).state).toEqual({ kind: 'error', code: 'update_unreachable' });

    f.answer('/latest-linux.yml', 200, 'version: [not, a, version');
    expect((await updater.check()).state).toEqual({ kind: 'error', code: 'update_metadata' });

    f.answer('/latest-linux.yml', 200, 'version: 1.1.0\nfiles: []\n');
    expect((await updater.check()).state).toEqual({ kind: 'error', code: 'update_metadata' });

    f.publish('latest', { version: '1.1.0', bytes: artifact() });
    await updater.check();
    expect((await settled()).state).toEqual({ kind: 'ready', version: '1.1.0' });
  });

  it('words a server nobody answers at', async () => {
    const f = await feed();
    const url = f.url;
    await f.close();
    feeds.splice(feeds.indexOf(f), 1);
    const dir = tempDir();
    const app = nodeAppAdapter(dir, '1.0.0', url);
    const updater = createUpdater({ engine: new RecordingDebUpdater(app), dataDir: join(dir, 'userData'), clock: manualClock(), logger: silentLogger });
    expect((await updater.check()).state).toEqual({ kind: 'error', code: 'update_unreachable' });
  });
});

describe('the update schedule', () => {
  function manualTimers() {
    const armed: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
    const timers: LimiterTimers = {
      setTimeout: (fn, ms) => {
        const t = { fn, ms, cleared: false };
        armed.push(t);
        return t;
      },
      clearTimeout: (h) => {
        (h as { cleared: boolean }).cleared = true;
      },
    };
    const live = () => armed.filter((t) => !t.cleared);
    const fire = () => {
      const [next] = live();
      next!.cleared = true;
      next!.fn();
    };
    return { timers, live, fire };
  }

  it('checks soon after start, then every day, and stops when asked', async () => {
    const f = await feed();
    f.publish('latest', { version: '1.0.0', bytes: artifact() });
    const dir = tempDir();
    const app = nodeAppAdapter(dir, '1.0.0', f.url);
    const { timers, live, fire } = manualTimers();
    const clock = manualClock();
    const updater = createUpdater({ engine: new RecordingDebUpdater(app), dataDir: join(dir, 'userData'), clock, logger: silentLogger, timers, firstCheckAfterMs: 10_000 });
    const checks = () => f.requests.filter((p) => p === '/latest-linux.yml').length;

    updater.start();
    expect(live().map((t) => t.ms)).toEqual([10_000]);
    expect(checks()).toBe(0);

    fire();
    // The next day's check is armed at once; the one just started is joined, not doubled.
    expect(live().map((t) => t.ms)).toEqual([24 * 60 * 60 * 1000]);
    expect((await updater.check()).state).toEqual({ kind: 'up_to_date' });
    expect(checks()).toBe(1);
    expect(updater.status().checkedAt).toBe(clock.now());

    clock.advance(24 * 60 * 60 * 1000);
    fire();
    expect((await updater.check()).state).toEqual({ kind: 'up_to_date' });
    expect(checks()).toBe(2);
    expect(updater.status().checkedAt).toBe(clock.now());

    updater.stop();
    expect(live()).toEqual([]);
  });
});
