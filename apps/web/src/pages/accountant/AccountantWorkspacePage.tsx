import { api } from '../../api/browser-client';
import { acceptInvitation, listClients, listInvitations } from '../../api/workspace';
import { Alert } from '../../components/Alert';
import { TableCard, useSave } from '../../components/ListPage';
import { StatusBadge } from '../../components/StatusBadge';
import { useI18n } from '../../i18n/I18nProvider';
import { describeError } from '../../lib/errors';
import { useLoader } from '../../lib/use-loader';
import { Link } from '../../router/router';
import { scopeLabel } from '../AccountantsSettingsPage';

/** The accountant's own side: invitations to accept, and the clients whose books they keep. */
export function AccountantWorkspacePage() {
  const { t, locale, formatIsoDate } = useI18n();
  const invitations = useLoader((signal) => listInvitations(api, { signal }), []);
  const clients = useLoader((signal) => listClients(api, { signal }), []);
  const { error, save } = useSave();

  return (
    <div className="page page-wide">
      <header className="page-header">
        <h1>{t('workspace.title')}</h1>
        <p className="muted">{t('workspace.subtitle')}</p>
      </header>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      {invitations.error !== undefined && <Alert tone="error">{describeError(invitations.error, t)}</Alert>}
      {(invitations.data?.invitations.length ?? 0) > 0 && (
        <section className="card" data-testid="invitations">
          <h2 className="card-title">{t('workspace.invitations')}</h2>
          <ul className="plain-list">
            {invitations.data?.invitations.map((inv) => (
              <li key={inv.id} data-testid="invitation" className="subhead-row">
                <span>
                  <strong>{inv.client_name}</strong> ·{' '}
                  {inv.scopes.map((scope) => t(scopeLabel(scope))).join(', ')} ·{' '}
                  {t('workspace.expires', { date: formatIsoDate(inv.expires_at.slice(0, 10)) })}
                </span>
                <button
                  type="button"
                  className="button button-primary button-small"
                  data-testid="accept-invitation"
                  onClick={() =>
                    void save(async () => {
                      await acceptInvitation(api, inv.id);
                      invitations.reload();
                      clients.reload();
                    })
                  }
                >
                  {t('workspace.accept')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {clients.error !== undefined && <Alert tone="error">{describeError(clients.error, t)}</Alert>}
      <TableCard
        testId="client-table"
        head={
          <>
            <th>{t('workspace.col.client')}</th>
            <th>{t('workspace.col.scopes')}</th>
            <th>{t('workspace.col.access')}</th>
            <th>{t('accountants.col.status')}</th>
          </>
        }
        isEmpty={clients.data?.clients.length === 0}
        empty={t('workspace.noClients')}
      >
        {clients.data?.clients.map((c) => (
          <tr key={c.client_id} data-testid="client-row">
            <td>
              <Link
                to={`/accountant/clients/${c.client_id}/${firstSection(c.scopes)}`}
                data-testid="open-client"
              >
                {(locale === 'ar' && c.legal_name_ar) || c.legal_name_en}
              </Link>
            </td>
            <td>{c.scopes.map((scope) => t(scopeLabel(scope))).join(', ')}</td>
            <td>{c.practice_name ?? t(`workspace.access.${c.access}`)}</td>
            <td>
              <StatusBadge status={c.status} />
            </td>
          </tr>
        ))}
      </TableCard>
    </div>
  );
}

export const SECTIONS = ['invoices', 'customers', 'expenses', 'time-entries', 'payments'] as const;
export type Section = (typeof SECTIONS)[number];
export const scopeOf = (section: Section) => (section === 'time-entries' ? 'hours' : section);

function firstSection(scopes: readonly string[]): Section {
  return SECTIONS.find((section) => scopes.includes(scopeOf(section))) ?? 'invoices';
}
