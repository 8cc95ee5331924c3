import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportMode, ImportResult, RowError } from '../../../../shared/audiences';
import type { AppErrorData } from '../../../../shared/result';
import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import { UploadCancelled, uploadAndImport } from './upload';

const EXAMPLE = ['fan id;name;display name;total spend;subscribed date;expiry date;tags', 'u1042;mia_fan;Mia’s #1 fan;1 250,50;2026-01-14;2026-07-14;vip|tipper', 'u2077;jo;;0;2026-03-02;;new'].join('\n');

type Phase = { kind: 'idle' } | { kind: 'sending'; sent: number; total: number } | { kind: 'importing'; read: number; total: number };

/** Sending counts for the first half of the bar, reading the rows for the second. */
const percentOf = (p: Phase) =>
  p.kind === 'sending' ? Math.round((p.total ? p.sent / p.total : 1) * 50) : p.kind === 'importing' ? 50 + Math.round((p.total ? p.read / p.total : 1) * 50) : 0;

function BadRows({ result }: { result: ImportResult }) {
  const { t, i18n } = useTranslation();
  const more = result.errorCount - result.errors.length;
  const reason = (e: RowError) => t(`fans.rowErrors.${e.code}`, { column: e.column ? t(`fans.columns.${e.column}`) : '' });
  return (
    <>
      <ul className="fans-bad-rows" aria-label={t('fans.import.badRowsLabel')} data-testid="fans-bad-rows">
        {result.errors.map((e) => (
          <li key={`${e.line}-${e.code}`}>
            <strong>{t('fans.import.line', { line: e.line })}</strong> {reason(e)}
          </li>
        ))}
      </ul>
      {result.errorCount > result.errors.length && <p className="muted">{t('fans.import.moreBadRows', { count: more, formatted: more.toLocaleString(i18n.language) })}</p>}
    </>
  );
}

function Outcome({ result }: { result: ImportResult }) {
  const { t, i18n } = useTranslation();
  const n = (value: number) => value.toLocaleString(i18n.language);
  return (
    <div className="stack fans-outcome" data-testid="fans-import-result" role="status">
      {result.committed ? (
        <p className="ok">{t('fans.import.done', { imported: n(result.imported), updated: n(result.updated), skipped: n(result.errorCount) })}</p>
      ) : (
        <p className="error">{t('fans.import.nothing', { count: result.errorCount, formatted: n(result.errorCount) })}</p>
      )}
      {result.errorCount > 0 && <BadRows result={result} />}
    </div>
  );
}

/** Import CSV…: choose a file and a mode, watch it go up and be read, then see what was kept and why rows were not. */
export function FansImport({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>('valid_rows');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<AppErrorData | 'cancelled' | null>(null);
  const running = useRef<AbortController | null>(null);

  useEffect(
    () =>
      api.on('audiences.progress', (p) => {
        if (p.accountId !== accountId || p.operation !== 'import') return;
        setPhase((now) => (now.kind === 'idle' ? now : { kind: 'importing', read: p.bytes, total: p.totalBytes ?? 0 }));
      }),
    [accountId],
  );
  // Leaving the page mid-upload: the core drops what it had.
  useEffect(() => () => running.current?.abort(), []);

  const start = async () => {
    if (!file) return;
    const controller = new AbortController();
    running.current = controller;
    setResult(null);
    setError(null);
    setPhase({ kind: 'sending', sent: 0, total: file.size });
    try {
      const done = await uploadAndImport(accountId, file, mode, {
        signal: controller.signal,
        onSent: (sent) => setPhase({ kind: 'sending', sent, total: file.size }),
        onCommitting: () => setPhase({ kind: 'importing', read: 0, total: file.size }),
      });
      setResult(done);
    } catch (err) {
      setError(err instanceof UploadCancelled ? 'cancelled' : isAppError(err) ? err : { kind: 'internal', code: 'internal', params: {} });
    } finally {
      running.current = null;
      setPhase({ kind: 'idle' });
    }
  };

  const busy = phase.kind !== 'idle';
  const percent = percentOf(phase);
  return (
    <section className="fans-import stack" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('fans.import.title')}</h3>
      <div className="field">
        <label htmlFor={`${id}-file`}>{t('fans.import.file')}</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/plain"
          aria-describedby={`${id}-help`}
          disabled={busy}
          data-testid="fans-file"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <small id={`${id}-help`}>{t('fans.import.columns')}</small>
      </div>
      <details className="fans-example">
        <summary>{t('fans.import.example')}</summary>
        <pre>{EXAMPLE}</pre>
      </details>
      <fieldset className="fans-modes" disabled={busy}>
        <legend>{t('fans.import.mode')}</legend>
        <label className="choice">
          <input type="radio" name={`${id}-mode`} checked={mode === 'all_or_nothing'} onChange={() => setMode('all_or_nothing')} />
          {t('fans.import.allOrNothing')}
        </label>
        <label className="choice">
          <input type="radio" name={`${id}-mode`} checked={mode === 'valid_rows'} onChange={() => setMode('valid_rows')} />
          {t('fans.import.validRows')}
        </label>
      </fieldset>
      <div className="actions">
        <button type="button" onClick={() => void start()} disabled={!file || busy} aria-busy={busy}>
          {t('fans.import.action')}
        </button>
        {phase.kind === 'sending' && (
          <button type="button" className="secondary" onClick={() => running.current?.abort()}>
            {t('fans.import.cancel')}
          </button>
        )}
      </div>
      {busy && (
        <div className="fans-progress">
          <progress max={100} value={percent} aria-label={t('fans.import.progressLabel')} />
          <small className="muted" aria-live="polite">
            {phase.kind === 'sending' ? t('fans.import.sending', { percent }) : t('fans.import.reading', { percent })}
          </small>
        </div>
      )}
      {error === 'cancelled' && (
        <p className="muted" role="status">
          {t('fans.import.cancelled')}
        </p>
      )}
      {error && error !== 'cancelled' && (
        <p className="error" role="alert" data-testid="fans-import-error">
          {describeError(t, error)}
        </p>
      )}
      {result && <Outcome result={result} />}
    </section>
  );
}

function isAppError(err: unknown): err is AppErrorData {
  return typeof err === 'object' && err !== null && 'code' in err && 'kind' in err;
}
