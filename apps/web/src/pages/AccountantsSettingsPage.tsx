import { type FormEvent, useState } from 'react';
import { api } from '../api/browser-client';
import {
  ACCOUNTANT_SCOPES,
  type AccountantScope,
  type Assignment,
  inviteAccountant,
  listAccountants,
  updateAccountant,
} from '../api/workspace';
import { Alert } from '../components/Alert';
import { FormActions, ListHeader, TableCard, useSave } from '../components/ListPage';
import { StatusBadge } from '../components/StatusBadge';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages-en';
import { describeError } from '../lib/errors';
import { useLoader } from '../lib/use-loader';

export const scopeLabel = (scope: AccountantScope) => `accountants.scope.${scope}` as MessageKey;

/** The company's accountants: invite one by e-mail with scopes, see where each stands, suspend, resume, revoke. */
export function AccountantsSettingsPage() {
  const { t } = useI18n();
  const [isInviting, setIsInviting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // The assignment whose scopes are being edited, and the scopes as ticked so far.
  const [editing, setEditing] = useState<{ id: string; scopes: AccountantScope[] } | null>(null);
  const accountants = useLoader((signal) => listAccountants(api, { signal }), []);
  const { error, save } = useSave();

  const change = (row: Assignment, status: 'active' | 'suspended' | 'revoked') =>
    save(async () => {
      await updateAccountant(api, row.id, { status });
      setNotice(t(`accountants.changed.${status}`));
      accountants.reload();
    });

  const saveScopes = (id: string, scopes: AccountantScope[]) =>
    save(async () => {
      await updateAccountant(api, id, { scopes });
      setEditing(null);
      setNotice(t('accountants.scopesSaved'));
      accountants.reload();
    });

  return (
    <div className="page page-wide">
      <ListHeader
        title={t('accountants.title')}
        subtitle={t('accountants.subtitle')}
        newLabel={t('accountants.invite')}
        newTestId="invite-accountant"
        onNew={isInviting ? undefined : () => setIsInviting(true)}
      />
      {notice && <Alert tone="success">{notice}</Alert>}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      {isInviting && (
        <InviteForm
          onCancel={() => setIsInviting(false)}
          onInvited={(email) => {
            setIsInviting(false);
            setNotice(t('accountants.invited', { email }));
            accountants.reload();
          }}
        />
      )}
      {accountants.error !== undefined && <Alert tone="error">{describeError(accountants.error, t)}</Alert>}
      <TableCard
        testId="accountant-table"
        head={
          <>
            <th>{t('accountants.col.email')}</th>
            <th>{t('accountants.col.accountant')}</th>
            <th>{t('accountants.col.scopes')}</th>
            <th>{t('accountants.col.status')}</th>
            <th />
          </>
        }
        isEmpty={accountants.data?.accountants.length === 0}
        empty={t('accountants.empty')}
      >
        {accountants.data?.accountants.map((row) => (
          <tr key={row.id} data-testid="accountant-row" data-email={row.email}>
            <td dir="ltr">{row.email}</td>
            <td>{row.practice_name ?? row.accountant_name ?? '—'}</td>
            <td>
              {editing?.id === row.id ? (
                <div data-testid="scope-editor">
                  <ScopeChecks
                    scopes={editing.scopes}
                    onChange={(scopes) => setEditing({ id: row.id, scopes })}
                  />
                  <button
                    type="button"
                    className="button button-primary button-small"
                    data-testid="save-scopes"
                    disabled={editing.scopes.length === 0}
                    onClick={() => void saveScopes(row.id, editing.scopes)}
                  >
                    {t('accountants.saveScopes')}
                  </button>
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    onClick={() => setEditing(null)}
                  >
                    {t('common.cancel')}
                  </button>
                </div>
              ) : (
                row.scopes.map((scope) => (
                  <span key={scope} className="chip">
                    {t(scopeLabel(scope))}
                  </span>
                ))
              )}
            </td>
            <td>
              <StatusBadge status={row.status === 'pending' && row.is_expired ? 'expired' : row.status} />
            </td>
            <td className="num">
              {(row.status === 'active' || row.status === 'suspended') && editing?.id !== row.id && (
                <button
                  type="button"
                  className="button button-ghost button-small"
                  data-testid="edit-scopes"
                  onClick={() => {
                    setNotice(null);
                    setEditing({ id: row.id, scopes: [...row.scopes] });
                  }}
                >
                  {t('accountants.editScopes')}
                </button>
              )}
              {row.status === 'active' && (
                <button
                  type="button"
                  className="button button-ghost button-small"
                  data-testid="suspend-accountant"
                  onClick={() => void change(row, 'suspended')}
                >
                  {t('accountants.suspend')}
                </button>
              )}
              {row.status === 'suspended' && (
                <button
                  type="button"
                  className="button button-ghost button-small"
                  data-testid="resume-accountant"
                  onClick={() => void change(row, 'active')}
                >
                  {t('accountants.resume')}
                </button>
              )}
              {row.status !== 'revoked' && (
                <button
                  type="button"
                  className="button button-ghost button-small"
                  data-testid="revoke-accountant"
                  onClick={() => {
                    // Revoking is final: the accountant would need a new invitation.
                    if (window.confirm(t('accountants.revokeConfirm', { email: row.email })))
                      void change(row, 'revoked');
                  }}
                >
                  {t('accountants.revoke')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </TableCard>
    </div>
  );
}

function InviteForm({ onCancel, onInvited }: { onCancel(): void; onInvited(email: string): void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [scopes, setScopes] = useState<AccountantScope[]>([...ACCOUNTANT_SCOPES]);
  const { error, isSaving, save } = useSave();

  function submit(event: FormEvent) {
    event.preventDefault();
    return save(async () => {
      await inviteAccountant(api, { email: email.trim(), scopes });
      onInvited(email.trim());
    });
  }

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} data-testid="invite-accountant-form">
      <h2 className="card-title">{t('accountants.invite')}</h2>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <label className="field">
        <span className="field-label">{t('accountants.email')}</span>
        <input
          name="email"
          type="email"
          dir="ltr"
          autoComplete="off"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <ScopeChecks scopes={scopes} onChange={setScopes} />
      <FormActions
        onCancel={onCancel}
        saveLabel={t('accountants.send')}
        isDisabled={isSaving || !email.trim() || scopes.length === 0}
        saveTestId="send-invitation"
      />
    </form>
  );
}

/** The five scopes as labelled check boxes (the invitation and the editing of an assignment). */
function ScopeChecks({
  scopes,
  onChange,
}: {
  scopes: AccountantScope[];
  onChange(scopes: AccountantScope[]): void;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="field">
      <legend className="field-label">{t('accountants.scopes')}</legend>
      {ACCOUNTANT_SCOPES.map((scope) => (
        <label key={scope} className="checkbox">
          <input
            type="checkbox"
            name={`scope-${scope}`}
            checked={scopes.includes(scope)}
            onChange={(e) =>
              onChange(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))
            }
          />{' '}
          {t(scopeLabel(scope))}
        </label>
      ))}
    </fieldset>
  );
}
