import { useState } from 'react';
import { api } from '../../api/browser-client';
import {
  type AccountantClient,
  acceptInvitation,
  type Invitation,
  listClients,
  listInvitations,
  listMembers,
  type Member,
  setClientStaff,
} from '../../api/workspace';
import { useSession } from '../../auth/SessionProvider';
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
                <AcceptInvitation
                  invitation={inv}
                  onAccept={(practiceId) =>
                    void save(async () => {
                      await acceptInvitation(api, inv.id, practiceId);
                      invitations.reload();
                      clients.reload();
                    })
                  }
                />
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
            <th>{t('workspace.col.staff')}</th>
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
            <td>
              <StaffCell client={c} onSaved={clients.reload} />
            </td>
          </tr>
        ))}
      </TableCard>
    </div>
  );
}

/**
 * Accept for oneself, or for a practice: a company among the user's own where they are owner or admin (never the
 * client itself). A practice's assignment follows the practice, which then names its staff.
 */
function AcceptInvitation({
  invitation,
  onAccept,
}: {
  invitation: Invitation;
  onAccept(practiceCompanyId: string | undefined): void;
}) {
  const { t } = useI18n();
  const { session } = useSession();
  const practices =
    session.status === 'signed-in'
      ? session.me.companies.filter(
          (c) => (c.role === 'owner' || c.role === 'admin') && c.id !== invitation.client_company_id,
        )
      : [];
  const [practiceId, setPracticeId] = useState('');
  return (
    <span className="inline-form">
      {practices.length > 0 && (
        <label className="field field-inline">
          <span className="field-label">{t('workspace.acceptFor')}</span>
          <select data-testid="accept-for" value={practiceId} onChange={(e) => setPracticeId(e.target.value)}>
            <option value="">{t('workspace.acceptForSelf')}</option>
            {practices.map((c) => (
              <option key={c.id} value={c.id}>
                {c.legal_name_en}
              </option>
            ))}
          </select>
        </label>
      )}
      <button
        type="button"
        className="button button-primary button-small"
        data-testid="accept-invitation"
        onClick={() => onAccept(practiceId || undefined)}
      >
        {t('workspace.accept')}
      </button>
    </span>
  );
}

/**
 * Who of the practice works on this client. Only the practice's owners and admins get the list from the server, and
 * staff are picked among the members of the active company, so the practice must be the company in use to change it.
 */
function StaffCell({ client, onSaved }: { client: AccountantClient; onSaved(): void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const [members, setMembers] = useState<Member[] | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const { error, save } = useSave();
  if (client.access !== 'practice' || client.staff_user_ids === null) return <>—</>;
  const activeId = session.status === 'signed-in' ? session.company?.id : undefined;
  const count = client.staff_user_ids.length;
  const summary =
    count === 0 ? t('workspace.staffNone') : t('workspace.staffCount', { count: String(count) });
  if (activeId !== client.practice_company_id)
    return (
      <span className="muted" data-testid="staff-summary">
        {summary} · {t('workspace.staffSwitch', { practice: client.practice_name ?? '' })}
      </span>
    );
  if (members === null)
    return (
      <span data-testid="staff-summary">
        {summary}{' '}
        <button
          type="button"
          className="button button-ghost button-small"
          data-testid="assign-staff"
          onClick={() =>
            void save(async () => {
              const list = await listMembers(api);
              setPicked([...(client.staff_user_ids ?? [])]);
              setMembers(list.members.filter((m) => !m.is_suspended));
            })
          }
        >
          {t('workspace.assignStaff')}
        </button>
        {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      </span>
    );
  return (
    <fieldset className="field" data-testid="staff-editor">
      <legend className="field-label">{t('workspace.staffFor', { client: client.legal_name_en })}</legend>
      {members.map((m) => (
        <label key={m.user_id} className="checkbox">
          <input
            type="checkbox"
            name={`staff-${m.user_id}`}
            data-email={m.email}
            checked={picked.includes(m.user_id)}
            onChange={(e) =>
              setPicked(e.target.checked ? [...picked, m.user_id] : picked.filter((id) => id !== m.user_id))
            }
          />{' '}
          {m.full_name}{' '}
          <span className="muted" dir="ltr">
            {m.email}
          </span>
        </label>
      ))}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <button
        type="button"
        className="button button-primary button-small"
        data-testid="save-staff"
        onClick={() =>
          void save(async () => {
            await setClientStaff(api, client.client_id, picked);
            setMembers(null);
            onSaved();
          })
        }
      >
        {t('workspace.saveStaff')}
      </button>
      <button type="button" className="button button-ghost button-small" onClick={() => setMembers(null)}>
        {t('common.cancel')}
      </button>
    </fieldset>
  );
}

export const SECTIONS = ['invoices', 'customers', 'expenses', 'time-entries', 'payments'] as const;
export type Section = (typeof SECTIONS)[number];
export const scopeOf = (section: Section) => (section === 'time-entries' ? 'hours' : section);

function firstSection(scopes: readonly string[]): Section {
  return SECTIONS.find((section) => scopes.includes(scopeOf(section))) ?? 'invoices';
}
