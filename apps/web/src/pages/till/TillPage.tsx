import type { Jurisdiction } from '@invoiceflow/totals';
import { useEffect, useState } from 'react';
import { api } from '../../api/browser-client';
import { getDrawer, getOpenSession, listTills, type SessionReport } from '../../api/pos';
import { Alert } from '../../components/Alert';
import { useI18n } from '../../i18n/I18nProvider';
import { describeError } from '../../lib/errors';
import { useLoader } from '../../lib/use-loader';
import { ReturnsPanel } from './ReturnsPanel';
import { SaleScreen } from './SaleScreen';
import { CashMovementForm, CloseSessionForm, OpenSessionForm, ReportCard } from './SessionPanels';

type Panel = 'sale' | 'cash' | 'x' | 'close' | 'returns';

/**
 * The till: pick a till, open its shift with the float counted, sell (search or scan, cart, cash, change,
 * receipt), move cash in and out, take returns, read the X report and close with the count for the Z report.
 */
export function TillPage({ jurisdiction }: { jurisdiction: Jurisdiction }) {
  const { t } = useI18n();
  const [tillsVersion, _setTillsVersion] = useState(0);
  const tills = useLoader(
    async (signal) => {
      const list = await listTills(api, { signal });
      if (list.tills.length > 0) return list.tills;
      // A company's first visit: the default till is made when its drawer is first asked for.
      await getDrawer(api, undefined, { signal });
      return (await listTills(api, { signal })).tills;
    },
    [tillsVersion],
  );
  const [chosenTill, setChosenTill] = useState<string | null>(null);
  const tillId = chosenTill ?? tills.data?.find((till) => till.is_default)?.id ?? tills.data?.[0]?.id ?? null;

  const [version, setVersion] = useState(0);
  const refresh = () => setVersion((v) => v + 1);
  const drawer = useLoader(
    (signal) => (tillId ? getDrawer(api, tillId, { signal }) : Promise.resolve(null)),
    [tillId, version],
  );
  const session = useLoader(
    (signal) => (tillId ? getOpenSession(api, tillId, { signal }) : Promise.resolve(null)),
    [tillId, version],
  );
  const [panel, setPanel] = useState<Panel>('sale');
  const [zReport, setZReport] = useState<SessionReport | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: another till starts on its own sale screen.
  useEffect(() => {
    setPanel('sale');
    setZReport(null);
  }, [tillId]);

  // The company's currency, as the drawer is kept in it.
  const currency = drawer.data?.currency ?? '';
  const faceValues = drawer.data?.denominations.map((d) => d.value) ?? [];
  const drawerCounts =
    drawer.data?.denominations.map((d) => ({ value: d.value, count: d.available_count })) ?? [];
  const open = session.data ?? null;
  const error = tills.error ?? drawer.error ?? session.error;
  const isLoaded = drawer.data !== undefined && session.data !== undefined;

  return (
    <div className="page page-wide till-page" data-testid="till-page">
      <header className="page-header page-header-row no-print">
        <div>
          <h1>{t('till.title')}</h1>
          <p className="muted">{open ? t('till.sessionOpen') : t('till.sessionClosed')}</p>
        </div>
        {tills.data && tills.data.length > 1 && (
          <label className="field till-choose">
            <span className="field-label">{t('till.till')}</span>
            <select name="till_id" value={tillId ?? ''} onChange={(e) => setChosenTill(e.target.value)}>
              {tills.data.map((till) => (
                <option key={till.id} value={till.id}>
                  {till.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </header>
      {error !== undefined && (
        <div className="no-print">
          <Alert tone="error">{describeError(error, t)}</Alert>
        </div>
      )}
      {tillId && isLoaded && !open && (
        <div className="till-closed no-print">
          {zReport && <ReportCard report={zReport} />}
          <OpenSessionForm
            key={faceValues.join('|')}
            tillId={tillId}
            values={faceValues}
            currency={currency}
            onOpened={() => {
              setZReport(null);
              setPanel('sale');
              refresh();
            }}
            onDenominationAdded={refresh}
          />
        </div>
      )}
      {tillId && isLoaded && open && (
        <>
          <nav className="till-toolbar no-print" aria-label={t('till.sessionActions')}>
            {(['sale', 'cash', 'returns', 'x', 'close'] as const).map((name) => (
              <button
                key={name}
                type="button"
                className={`button ${panel === name ? 'button-primary' : 'button-ghost'}`}
                aria-pressed={panel === name}
                data-testid={`till-tab-${name}`}
                onClick={() => {
                  setPanel(name);
                  if (name === 'x' || name === 'close') refresh();
                }}
              >
                {t(`till.tab.${name}`)}
              </button>
            ))}
          </nav>
          {panel === 'sale' && (
            <SaleScreen
              tillId={tillId}
              currency={currency}
              jurisdiction={jurisdiction}
              faceValues={faceValues}
              onSold={refresh}
            />
          )}
          {panel === 'cash' && (
            <CashMovementForm
              sessionId={open.id}
              values={faceValues}
              currency={currency}
              onCancel={() => setPanel('sale')}
              onDone={() => {
                setPanel('x');
                refresh();
              }}
            />
          )}
          {panel === 'returns' && (
            <ReturnsPanel
              tillId={tillId}
              sessionId={open.id}
              onReturned={refresh}
              onCancel={() => setPanel('sale')}
            />
          )}
          {panel === 'x' && (
            <div className="no-print">
              <ReportCard report={open} />
            </div>
          )}
          {panel === 'close' && (
            <CloseSessionForm
              // One form per shift: counts typed survive a reload of the drawer (its expected column updates).
              key={open.id}
              report={open}
              drawer={drawerCounts}
              isRefreshing={drawer.isLoading || session.isLoading}
              currency={currency}
              onCancel={() => setPanel('sale')}
              onClosed={(report) => {
                setZReport(report);
                setPanel('sale');
                refresh();
              }}
            />
          )}
        </>
      )}
    </div>
  );
}
