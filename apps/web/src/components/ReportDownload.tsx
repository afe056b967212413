import { useEffect, useRef, useState } from 'react';
import { api } from '../api/browser-client';
import {
  downloadReportRun,
  type FileFormat,
  getReportRun,
  type ReportKind,
  type ReportRun,
  startReportRun,
} from '../api/reports';
import { useI18n } from '../i18n/I18nProvider';
import { describeError } from '../lib/errors';
import { saveBlob } from '../lib/files';
import { Alert } from './Alert';

const FORMATS: {
  format: FileFormat;
  label: 'reports.file.pdf' | 'reports.file.xlsx' | 'reports.file.csv';
}[] = [
  { format: 'pdf', label: 'reports.file.pdf' },
  { format: 'xlsx', label: 'reports.file.xlsx' },
  { format: 'csv', label: 'reports.file.csv' },
];
const POLL_MS = 500;

/**
 * A report's PDF, Excel and CSV downloads: the server writes the file in the background, this shows how far it is
 * (the run's percent) and saves the file once written.
 */
export function ReportDownload({
  kind,
  params,
  disabled = false,
}: {
  kind: ReportKind;
  params: Record<string, string>;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const [run, setRun] = useState<ReportRun | null>(null);
  const [error, setError] = useState<unknown>(null);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  async function start(format: FileFormat) {
    setError(null);
    try {
      let current = await startReportRun(api, { kind, format, ...params });
      setRun(current);
      while (alive.current && (current.status === 'queued' || current.status === 'running')) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        current = await getReportRun(api, current.id);
        if (alive.current) setRun(current);
      }
      if (current.status === 'failed') throw new Error(current.error ?? 'failed');
      if (current.status === 'done' && alive.current) {
        const file = await downloadReportRun(api, current.id);
        saveBlob(file.blob, file.filename ?? current.file_name ?? `${kind}.${format}`);
      }
    } catch (caught) {
      if (alive.current) setError(caught);
    } finally {
      if (alive.current) setRun((r) => (r && r.status !== 'done' ? null : r));
    }
  }

  const isBusy = run !== null && (run.status === 'queued' || run.status === 'running');
  return (
    <div className="report-download" data-testid={`download-${kind}`}>
      <div className="button-row">
        {FORMATS.map(({ format, label }) => (
          <button
            key={format}
            type="button"
            className="button small"
            disabled={disabled || isBusy}
            data-testid={`download-${kind}-${format}`}
            onClick={() => void start(format)}
          >
            {t(label)}
          </button>
        ))}
      </div>
      {isBusy && run && (
        <div className="report-progress" role="status" data-testid={`progress-${kind}`}>
          <progress max={100} value={run.progress} aria-label={t('reports.file.progress')} />
          <span className="muted small tabular">
            {t('reports.file.writing', { percent: String(run.progress) })}
          </span>
        </div>
      )}
      {run?.status === 'done' && (
        <p className="muted small" role="status" data-testid={`done-${kind}`}>
          {t('reports.file.done', { name: run.file_name ?? '' })}
        </p>
      )}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
    </div>
  );
}
