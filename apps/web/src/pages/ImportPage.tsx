import { type FormEvent, useEffect, useId, useState } from 'react';
import { api } from '../api/browser-client';
import {
  downloadErrorsCsv,
  downloadTemplate,
  getImport,
  IMPORT_TYPES,
  type ImportJob,
  type ImportType,
  type InvoiceImportMode,
  listImportErrors,
  listTemplates,
  saveTemplate,
  setImportMapping,
  startDryRun,
  startImport,
  uploadImport,
} from '../api/imports';
import { Alert } from '../components/Alert';
import { useSave } from '../components/ListPage';
import { Pagination } from '../components/Pagination';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages-en';
import { describeError } from '../lib/errors';
import { saveBlob } from '../lib/files';
import { useLoader } from '../lib/use-loader';

const TYPE_LABEL: Record<ImportType, MessageKey> = {
  customers: 'imports.type.customers',
  vendors: 'imports.type.vendors',
  products: 'imports.type.products',
  invoices: 'imports.type.invoices',
};
/** How often the page asks the job how far it is: often enough for a bar that moves, rarely enough for the API. */
const POLL_MS = 700;
const isRunning = (job: ImportJob) => job.status === 'validating' || job.status === 'importing';

/**
 * Import → choose what the file holds, upload it (CSV or .xlsx), check the suggested column mapping, run the dry
 * run (every bad row, downloadable), then the import as a job whose progress the page polls. All or nothing: a
 * file with a bad row imports nothing, and the user fixes the file and uploads it again.
 */
export function ImportPage() {
  const { t } = useI18n();
  const [type, setType] = useState<ImportType>('customers');
  const [mode, setMode] = useState<InvoiceImportMode>('history');
  const [job, setJob] = useState<ImportJob | null>(null);
  const { error, isSaving, save } = useSave();

  // Polls while a job runs; the answer replaces the job, which stops the polling once it is finished or failed.
  useEffect(() => {
    if (!job || !isRunning(job)) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      getImport(api, job.id, { signal: controller.signal }).then(setJob, () => {
        // A lost answer: ask again on the next tick.
        if (!controller.signal.aborted) setJob({ ...job });
      });
    }, POLL_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [job]);

  return (
    <div className="page page-wide" data-testid="import-page">
      <header className="page-header">
        <h1>{t('imports.title')}</h1>
        <p className="muted">{t('imports.subtitle')}</p>
      </header>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      {job === null ? (
        <UploadForm
          type={type}
          mode={mode}
          onType={setType}
          onMode={setMode}
          isBusy={isSaving}
          onUpload={(file, templateId) =>
            save(async () => {
              setJob(
                await uploadImport(api, {
                  type,
                  ...(type === 'invoices' ? { mode } : {}),
                  file,
                  fileName: file.name,
                  ...(templateId ? { templateId } : {}),
                }),
              );
            })
          }
        />
      ) : (
        <>
          <JobSummary job={job} onRestart={() => setJob(null)} />
          {(job.status === 'uploaded' || job.status === 'mapped') && (
            <MappingForm
              job={job}
              isBusy={isSaving}
              onDryRun={(mapping) =>
                save(async () => {
                  await setImportMapping(api, job.id, mapping);
                  setJob(await startDryRun(api, job.id));
                })
              }
            />
          )}
          {job.status === 'validating' && <Progress job={job} label={t('imports.checking')} />}
          {job.status === 'validated' && (
            <DryRunResult
              job={job}
              isBusy={isSaving}
              onImport={() => save(async () => setJob(await startImport(api, job.id)))}
              onRestart={() => setJob(null)}
            />
          )}
          {(job.status === 'importing' || job.status === 'imported') && (
            <Progress job={job} label={t('imports.importing')} />
          )}
          {job.status === 'imported' && <ImportedResult job={job} onRestart={() => setJob(null)} />}
          {job.status === 'failed' && <FailedResult job={job} onRestart={() => setJob(null)} />}
        </>
      )}
    </div>
  );
}

function UploadForm({
  type,
  mode,
  onType,
  onMode,
  isBusy,
  onUpload,
}: {
  type: ImportType;
  mode: InvoiceImportMode;
  onType(type: ImportType): void;
  onMode(mode: InvoiceImportMode): void;
  isBusy: boolean;
  onUpload(file: File, templateId: string | null): Promise<unknown>;
}) {
  const { t } = useI18n();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [templateId, setTemplateId] = useState('');
  const templates = useLoader((signal) => listTemplates(api, type, { signal }), [type]);
  const { error, save } = useSave();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (file) void onUpload(file, templateId || null);
  }

  return (
    <form className="card form" onSubmit={submit} data-testid="import-upload">
      <h2 className="card-title">{t('imports.step.upload')}</h2>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <fieldset className="event-choices">
        <legend className="field-label">{t('imports.type')}</legend>
        {IMPORT_TYPES.map((value) => (
          <label key={value} className="checkbox">
            <input
              type="radio"
              name="import-type"
              value={value}
              checked={type === value}
              onChange={() => {
                onType(value);
                setTemplateId('');
              }}
            />{' '}
            {t(TYPE_LABEL[value])}
          </label>
        ))}
      </fieldset>
      {type === 'invoices' && (
        <fieldset className="event-choices">
          <legend className="field-label">{t('imports.mode')}</legend>
          <label className="checkbox">
            <input
              type="radio"
              name="import-mode"
              value="history"
              checked={mode === 'history'}
              onChange={() => onMode('history')}
            />{' '}
            {t('imports.mode.history')}
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="import-mode"
              value="issue"
              checked={mode === 'issue'}
              onChange={() => onMode('issue')}
            />{' '}
            {t('imports.mode.issue')}
          </label>
        </fieldset>
      )}
      <div className="form-grid">
        <label className="field field-wide" htmlFor={`${id}-file`}>
          <span className="field-label">{t('imports.file')}</span>
          <input
            id={`${id}-file`}
            name="file"
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby={`${id}-file-help`}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <span className="field-message field-message-hint" id={`${id}-file-help`}>
            {t('imports.fileHelp')}
          </span>
        </label>
        {(templates.data?.templates.length ?? 0) > 0 && (
          <label className="field">
            <span className="field-label">{t('imports.savedMapping')}</span>
            <select name="template" value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
              <option value="">{t('imports.savedMapping.none')}</option>
              {templates.data?.templates.map((template) => (
                <option key={template.id} value={template.id}>
                  {template.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div className="inline-actions start">
        <button
          type="submit"
          className="button button-primary"
          disabled={isBusy || !file}
          data-testid="upload-import"
        >
          {t('imports.upload')}
        </button>
        <button
          type="button"
          className="button button-ghost"
          data-testid="download-template"
          onClick={() =>
            void save(async () => {
              const { blob, filename } = await downloadTemplate(api, type);
              saveBlob(blob, filename ?? `${type}-template.csv`);
            })
          }
        >
          {t('imports.template')}
        </button>
      </div>
    </form>
  );
}

function JobSummary({ job, onRestart }: { job: ImportJob; onRestart(): void }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-label={t('imports.fileSummary')}>
      <p>
        <strong dir="auto">{job.file_name}</strong> · {t(TYPE_LABEL[job.type])}
        {job.mode && ` · ${t(job.mode === 'history' ? 'imports.mode.history' : 'imports.mode.issue')}`}
      </p>
      {!isRunning(job) && job.status !== 'imported' && (
        <button type="button" className="button button-ghost button-small" onClick={onRestart}>
          {t('imports.another')}
        </button>
      )}
    </section>
  );
}

function MappingForm({
  job,
  isBusy,
  onDryRun,
}: {
  job: ImportJob;
  isBusy: boolean;
  onDryRun(mapping: Record<string, string>): Promise<unknown>;
}) {
  const { t } = useI18n();
  const id = useId();
  const [mapping, setMapping] = useState<Record<string, string>>(job.mapping);
  const [templateName, setTemplateName] = useState('');
  const [savedName, setSavedName] = useState<string | null>(null);
  const { error, isSaving, save } = useSave();
  const missing = job.fields.filter((field) => field.is_required && !mapping[field.name]);

  function submit(event: FormEvent) {
    event.preventDefault();
    void onDryRun(mapping);
  }

  return (
    <form className="card form" onSubmit={submit} data-testid="import-mapping">
      <h2 className="card-title">{t('imports.step.mapping')}</h2>
      <p className="muted">{t('imports.mappingHelp')}</p>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <table className="data-table compact">
        <thead>
          <tr>
            <th scope="col">{t('imports.col.field')}</th>
            <th scope="col">{t('imports.col.column')}</th>
          </tr>
        </thead>
        <tbody>
          {job.fields.map((field) => (
            <tr key={field.name}>
              <th scope="row">
                <label htmlFor={`${id}-${field.name}`} dir="ltr">
                  {field.name}
                </label>
                {field.is_required && <span className="muted"> ({t('imports.required')})</span>}
              </th>
              <td>
                <select
                  id={`${id}-${field.name}`}
                  name={`mapping.${field.name}`}
                  value={mapping[field.name] ?? ''}
                  aria-invalid={field.is_required && !mapping[field.name]}
                  onChange={(e) => {
                    const next = { ...mapping };
                    if (e.target.value) next[field.name] = e.target.value;
                    else delete next[field.name];
                    setMapping(next);
                  }}
                >
                  <option value="">{t('imports.notImported')}</option>
                  {job.header.map((column) => (
                    <option key={column} value={column}>
                      {column}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {missing.length > 0 && (
        <p className="field-message field-message-error" role="alert">
          {t('imports.missingRequired', { fields: missing.map((field) => field.name).join(', ') })}
        </p>
      )}
      <div className="form-grid">
        <label className="field">
          <span className="field-label">{t('imports.templateName')}</span>
          <input
            name="template_name"
            value={templateName}
            onChange={(e) => setTemplateName(e.target.value)}
          />
        </label>
      </div>
      {savedName && <Alert tone="success">{t('imports.templateSaved', { name: savedName })}</Alert>}
      <div className="inline-actions start">
        <button
          type="button"
          className="button button-ghost"
          disabled={isSaving || !templateName.trim()}
          onClick={() =>
            void save(async () => {
              const saved = await saveTemplate(api, { type: job.type, name: templateName.trim(), mapping });
              setSavedName(saved.name);
            })
          }
        >
          {t('imports.saveTemplate')}
        </button>
        <button
          type="submit"
          className="button button-primary"
          disabled={isBusy || missing.length > 0}
          data-testid="start-dry-run"
        >
          {t('imports.dryRun')}
        </button>
      </div>
    </form>
  );
}

/** The bar of a running job: the dry run's total is unknown until it ends, so that bar has no value. */
function Progress({ job, label }: { job: ImportJob; label: string }) {
  const { t, formatNumber } = useI18n();
  const labelId = useId();
  const total = job.progress.rows_total;
  const done = job.status === 'imported' ? (total ?? job.progress.rows_done) : job.progress.rows_done;
  const percent = total ? Math.min(100, Math.floor((done * 100) / total)) : null;
  return (
    <section className="card" data-testid="import-progress">
      <p id={labelId}>{label}</p>
      <div
        className="import-progress"
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(percent === null
          ? {}
          : {
              'aria-valuenow': percent,
              'aria-valuetext': t('imports.progressText', {
                percent: formatNumber(percent),
                done: formatNumber(done),
                total: formatNumber(total ?? 0),
              }),
            })}
      >
        <div className="import-progress-bar" style={{ inlineSize: `${percent ?? 100}%` }} />
      </div>
      <p className="muted" aria-hidden="true">
        {percent === null
          ? t('imports.rowsChecked', { done: formatNumber(done) })
          : t('imports.progressText', {
              percent: formatNumber(percent),
              done: formatNumber(done),
              total: formatNumber(total ?? 0),
            })}
      </p>
    </section>
  );
}

function RowErrors({ job }: { job: ImportJob }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const errors = useLoader((signal) => listImportErrors(api, job.id, page, { signal }), [job.id, page]);
  const { error, save } = useSave();
  return (
    <div data-testid="import-errors">
      {errors.error !== undefined && <Alert tone="error">{describeError(errors.error, t)}</Alert>}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('imports.col.row')}
            </th>
            <th scope="col">{t('imports.col.field')}</th>
            <th scope="col">{t('imports.col.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {errors.data?.errors.map((e) => (
            <tr key={`${e.row}-${e.field}-${e.code}`} data-testid="import-error-row" data-row={e.row}>
              <td className="num">{e.row}</td>
              <td dir="ltr">{e.field || '—'}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {errors.data && (
        <Pagination
          page={page}
          pageSize={errors.data.page_size}
          total={errors.data.total_rows ?? 0}
          onPage={setPage}
        />
      )}
      <div className="inline-actions start">
        <button
          type="button"
          className="button button-ghost"
          data-testid="download-errors"
          onClick={() =>
            void save(async () => {
              const { blob, filename } = await downloadErrorsCsv(api, job.id);
              saveBlob(blob, filename ?? 'import-errors.csv');
            })
          }
        >
          {t('imports.errorsCsv')}
        </button>
      </div>
    </div>
  );
}

function DryRunResult({
  job,
  isBusy,
  onImport,
  onRestart,
}: {
  job: ImportJob;
  isBusy: boolean;
  onImport(): Promise<unknown>;
  onRestart(): void;
}) {
  const { t, formatNumber } = useI18n();
  const bad = job.error_count ?? 0;
  const rows = formatNumber(job.progress.rows_total ?? 0);
  return (
    <section className="card" data-testid="dry-run-result" data-bad-rows={bad}>
      <h2 className="card-title">{t('imports.step.check')}</h2>
      {bad === 0 ? (
        <>
          <Alert tone="success">{t('imports.allGood', { rows })}</Alert>
          <div className="inline-actions start">
            <button
              type="button"
              className="button button-primary"
              disabled={isBusy}
              onClick={() => void onImport()}
              data-testid="start-import"
            >
              {t('imports.import', { rows })}
            </button>
          </div>
        </>
      ) : (
        <>
          <Alert tone="error">{t('imports.badRows', { bad: formatNumber(bad), rows })}</Alert>
          <RowErrors job={job} />
          <button type="button" className="button button-primary" onClick={onRestart}>
            {t('imports.uploadFixed')}
          </button>
        </>
      )}
    </section>
  );
}

function ImportedResult({ job, onRestart }: { job: ImportJob; onRestart(): void }) {
  const { t, formatNumber } = useI18n();
  const count = formatNumber(job.result?.[job.type] ?? 0);
  return (
    <section className="card" data-testid="import-result" data-status="imported">
      <Alert tone="success">{t('imports.done', { count, what: t(TYPE_LABEL[job.type]) })}</Alert>
      <button type="button" className="button button-ghost" onClick={onRestart}>
        {t('imports.another')}
      </button>
    </section>
  );
}

function FailedResult({ job, onRestart }: { job: ImportJob; onRestart(): void }) {
  const { t } = useI18n();
  return (
    <section className="card" data-testid="import-result" data-status="failed">
      <Alert tone="error">
        {t('imports.failed')} {job.failure?.message}
      </Alert>
      {(job.error_count ?? 0) > 0 && <RowErrors job={job} />}
      <button type="button" className="button button-primary" onClick={onRestart}>
        {t('imports.uploadFixed')}
      </button>
    </section>
  );
}
