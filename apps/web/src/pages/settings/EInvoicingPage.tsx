import { type FormEvent, useState } from 'react';
import { api } from '../../api/browser-client';
import {
  createEgsUnit,
  EGS_ENVIRONMENTS,
  type EgsEnvironment,
  type EgsUnit,
  listEgsUnits,
  makeDefaultEgsUnit,
  requestComplianceCsid,
  requestProductionCsid,
  runComplianceChecks,
} from '../../api/settings';
import { Alert } from '../../components/Alert';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import { describeError } from '../../lib/errors';
import { useLoader } from '../../lib/use-loader';

const ENVIRONMENT_LABEL: Record<EgsEnvironment, MessageKey> = {
  local: 'einvoicing.env.local',
  simulation: 'einvoicing.env.simulation',
  production: 'einvoicing.env.production',
  'developer-portal': 'einvoicing.env.developer',
};

const STATUS_LABEL: Record<EgsUnit['status'], MessageKey> = {
  new: 'einvoicing.status.new',
  compliance: 'einvoicing.status.compliance',
  compliance_checked: 'einvoicing.status.checked',
  active: 'einvoicing.status.active',
  retired: 'einvoicing.status.retired',
};

/** The onboarding steps in ZATCA's order: OTP → compliance CSID → compliance checks → production CSID. */
const STEPS: readonly { status: EgsUnit['status']; label: MessageKey }[] = [
  { status: 'new', label: 'einvoicing.step.otp' },
  { status: 'compliance', label: 'einvoicing.step.checks' },
  { status: 'compliance_checked', label: 'einvoicing.step.production' },
  { status: 'active', label: 'einvoicing.step.active' },
];

/**
 * Settings → E-invoicing: the company's ZATCA e-invoice generation units (EGS), each with its environment and
 * its place in onboarding. A local test unit signs at once and sends nothing to ZATCA; a simulation or
 * production unit is onboarded with the OTP from the Fatoora portal.
 */
export function EInvoicingPage() {
  const { t } = useI18n();
  const units = useLoader((signal) => listEgsUnits(api, { signal }), []);
  const [environment, setEnvironment] = useState<EgsEnvironment>('simulation');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function add(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setNotice(null);
    try {
      await createEgsUnit(api, { environment });
      setNotice(t('einvoicing.created'));
      units.reload();
    } catch (e) {
      setError(e);
    }
  }

  const list = units.data?.egs_units ?? [];
  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('einvoicing.title')}</h1>
        <p className="muted">{t('einvoicing.subtitle')}</p>
      </header>
      {units.error !== undefined && <Alert tone="error">{describeError(units.error, t)}</Alert>}
      {units.data && list.length === 0 && <p className="empty-state muted">{t('einvoicing.empty')}</p>}
      <ul className="plain-list" data-testid="egs-units">
        {list.map((unit) => (
          <EgsCard key={unit.id} unit={unit} onChanged={units.reload} />
        ))}
      </ul>
      <form className="card form-grid settings-form" onSubmit={(e) => void add(e)} data-testid="egs-create">
        <h2 className="card-title">{t('einvoicing.add')}</h2>
        {notice && <Alert tone="success">{notice}</Alert>}
        {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
        <label className="field">
          <span className="field-label">{t('einvoicing.environment')}</span>
          <select
            name="environment"
            value={environment}
            onChange={(e) => setEnvironment(e.target.value as EgsEnvironment)}
          >
            {EGS_ENVIRONMENTS.map((env) => (
              <option key={env} value={env}>
                {t(ENVIRONMENT_LABEL[env])}
              </option>
            ))}
          </select>
        </label>
        <p className="muted small">{t('einvoicing.environmentHelp')}</p>
        <div className="button-row">
          <button type="submit" className="button button-primary">
            {t('einvoicing.create')}
          </button>
        </div>
      </form>
    </div>
  );
}

function EgsCard({ unit, onChanged }: { unit: EgsUnit; onChanged(): void }) {
  const { t } = useI18n();
  const [otp, setOtp] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function step(work: () => Promise<unknown>) {
    setError(null);
    setIsBusy(true);
    try {
      await work();
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setIsBusy(false);
    }
  }

  const reached = STEPS.findIndex((s) => s.status === unit.status);
  const failedChecks = unit.compliance_checks.filter((c) => c.status && c.status !== 'passed');
  return (
    <li
      className="card"
      data-testid="egs-unit"
      data-status={unit.status}
      data-environment={unit.environment}
      data-default={String(unit.is_default)}
    >
      <h2 className="card-title">
        <bdi dir="ltr">{unit.common_name}</bdi>
      </h2>
      <p>
        <span className="badge" data-testid="egs-environment">
          {t(ENVIRONMENT_LABEL[unit.environment])}
        </span>{' '}
        <span className="badge" data-testid="egs-status">
          {t(STATUS_LABEL[unit.status])}
        </span>
        {unit.is_default && <span className="badge"> {t('einvoicing.default')}</span>}
      </p>
      {unit.environment !== 'local' && unit.status !== 'retired' && (
        <ol className="egs-steps">
          {STEPS.map((s, index) => (
            <li key={s.status} data-done={index < reached || unit.status === 'active' ? 'true' : undefined}>
              {t(s.label)}
            </li>
          ))}
        </ol>
      )}
      {unit.notice && <p className="muted small">{unit.notice}</p>}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      {unit.compliance_checks.length > 0 && (
        <p className="small" data-testid="egs-checks">
          {failedChecks.length === 0
            ? t('einvoicing.checksPassed', { count: String(unit.compliance_checks.length) })
            : t('einvoicing.checksFailed', { count: String(failedChecks.length) })}
        </p>
      )}
      {unit.status === 'new' && (
        <form
          className="form-grid settings-form"
          onSubmit={(e) => {
            e.preventDefault();
            void step(() => requestComplianceCsid(api, unit.id, otp));
          }}
        >
          <label className="field">
            <span className="field-label">{t('einvoicing.otp')}</span>
            <input
              name="otp"
              inputMode="numeric"
              pattern="[0-9]{6}"
              dir="ltr"
              required
              value={otp}
              onChange={(e) => setOtp(e.target.value)}
            />
          </label>
          <p className="muted small">{t('einvoicing.otpHelp')}</p>
          <div className="button-row">
            <button
              type="submit"
              className="button button-primary"
              disabled={isBusy}
              data-testid="egs-otp-submit"
            >
              {t('einvoicing.requestCompliance')}
            </button>
          </div>
        </form>
      )}
      {unit.status === 'compliance' && (
        <div className="button-row">
          <button
            type="button"
            className="button button-primary"
            disabled={isBusy}
            data-testid="egs-run-checks"
            onClick={() => void step(() => runComplianceChecks(api, unit.id))}
          >
            {t('einvoicing.runChecks')}
          </button>
        </div>
      )}
      {unit.status === 'compliance_checked' && (
        <div className="button-row">
          <button
            type="button"
            className="button button-primary"
            disabled={isBusy}
            data-testid="egs-production"
            onClick={() => void step(() => requestProductionCsid(api, unit.id))}
          >
            {t('einvoicing.requestProduction')}
          </button>
        </div>
      )}
      {unit.status === 'active' && !unit.is_default && (
        <div className="button-row">
          <button
            type="button"
            className="button button-ghost"
            disabled={isBusy}
            data-testid="egs-make-default"
            onClick={() => void step(() => makeDefaultEgsUnit(api, unit.id))}
          >
            {t('einvoicing.makeDefault')}
          </button>
        </div>
      )}
    </li>
  );
}
