import { type FormEvent, useState } from 'react';
import { api } from '../../api/browser-client';
import { listCustomers } from '../../api/resources';
import {
  ASSIGNABLE_ROLES,
  deactivateMember,
  inviteMember,
  listMembers,
  listTeamInvitations,
  type Member,
  revokeTeamInvitation,
  type TeamRole,
  updateMember,
} from '../../api/team';
import { Alert } from '../../components/Alert';
import { FormActions, ListHeader, TableCard, useSave } from '../../components/ListPage';
import { StatusBadge } from '../../components/StatusBadge';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import { describeError } from '../../lib/errors';
import { useLoader } from '../../lib/use-loader';

const roleLabel = (role: TeamRole) => `role.${role}` as MessageKey;

/**
 * Settings → Team (owners and administrators): the company's members with their role and whether they are active,
 * the role changed in place, deactivation and reactivation, invitations by e-mail and the open ones revoked.
 * The API's refusals (the last owner, an administrator promoting to owner) are shown as it words them.
 */
export function TeamPage() {
  const { t, locale } = useI18n();
  const [isInviting, setIsInviting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const members = useLoader((signal) => listMembers(api, { signal }), []);
  const invitations = useLoader((signal) => listTeamInvitations(api, { signal }), []);
  const { error, isSaving, save } = useSave();
  const pending = invitations.data?.invitations.filter((i) => i.status === 'pending') ?? [];
  const date = (iso: string) =>
    new Date(iso).toLocaleDateString(locale === 'ar' ? 'ar-SA-u-nu-latn' : 'en-GB');

  const act = (work: () => Promise<unknown>, message: string) =>
    save(async () => {
      setNotice(null);
      await work();
      setNotice(message);
      members.reload();
    });

  const changeRole = (member: Member, role: TeamRole) =>
    act(
      () => updateMember(api, member.id, { role }),
      t('team.roleChanged', { name: member.full_name, role: t(roleLabel(role)) }),
    );

  return (
    <div className="page page-wide">
      <ListHeader
        title={t('team.title')}
        subtitle={t('team.subtitle')}
        newLabel={t('team.invite')}
        newTestId="invite-member"
        onNew={isInviting ? undefined : () => setIsInviting(true)}
      />
      {notice && <Alert tone="success">{notice}</Alert>}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      {isInviting && (
        <InviteForm
          onCancel={() => setIsInviting(false)}
          onInvited={(email) => {
            setIsInviting(false);
            setNotice(t('team.invited', { email }));
            invitations.reload();
          }}
        />
      )}
      {members.error !== undefined && <Alert tone="error">{describeError(members.error, t)}</Alert>}
      <h2 className="section-title">{t('team.members')}</h2>
      <div className="stack-on-phone">
        <TableCard
          testId="member-table"
          head={
            <>
              <th>{t('team.col.name')}</th>
              <th>{t('team.col.email')}</th>
              <th>{t('team.col.role')}</th>
              <th>{t('team.col.status')}</th>
              <th />
            </>
          }
          isEmpty={members.data?.users.length === 0}
          empty={t('team.empty')}
        >
          {members.data?.users.map((member) => (
            <tr
              key={member.id}
              data-testid="member-row"
              data-email={member.email}
              data-role={member.role}
              data-active={String(member.is_active)}
            >
              <td data-label={t('team.col.name')}>
                <bdi>{member.full_name}</bdi>
              </td>
              <td data-label={t('team.col.email')}>
                <bdi dir="ltr">{member.email}</bdi>
              </td>
              <td data-label={t('team.col.role')}>
                {member.role === 'client' ? (
                  t(roleLabel(member.role))
                ) : (
                  <select
                    aria-label={t('team.roleOf', { name: member.full_name })}
                    data-testid="member-role"
                    value={member.role}
                    disabled={isSaving}
                    onChange={(e) => void changeRole(member, e.target.value as TeamRole)}
                  >
                    {ASSIGNABLE_ROLES.map((role) => (
                      <option key={role} value={role}>
                        {t(roleLabel(role))}
                      </option>
                    ))}
                  </select>
                )}
              </td>
              <td data-label={t('team.col.status')}>
                <StatusBadge status={member.is_active ? 'active' : 'deactivated'} />
              </td>
              <td className="num">
                {member.is_active ? (
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    data-testid="deactivate-member"
                    disabled={isSaving}
                    onClick={() => {
                      if (window.confirm(t('team.deactivateConfirm', { name: member.full_name })))
                        void act(
                          () => deactivateMember(api, member.id),
                          t('team.deactivated', { name: member.full_name }),
                        );
                    }}
                  >
                    {t('team.deactivate')}
                  </button>
                ) : (
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    data-testid="reactivate-member"
                    disabled={isSaving}
                    onClick={() =>
                      void act(
                        () => updateMember(api, member.id, { is_active: true }),
                        t('team.reactivated', { name: member.full_name }),
                      )
                    }
                  >
                    {t('team.reactivate')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </TableCard>
      </div>

      <h2 className="section-title">{t('team.invitations')}</h2>
      {invitations.error !== undefined && <Alert tone="error">{describeError(invitations.error, t)}</Alert>}
      <div className="stack-on-phone">
        <TableCard
          testId="invitation-table"
          head={
            <>
              <th>{t('team.col.email')}</th>
              <th>{t('team.col.role')}</th>
              <th>{t('team.col.expires')}</th>
              <th />
            </>
          }
          isEmpty={invitations.data !== undefined && pending.length === 0}
          empty={t('team.noInvitations')}
        >
          {pending.map((invitation) => (
            <tr key={invitation.id} data-testid="invitation-row" data-email={invitation.email}>
              <td data-label={t('team.col.email')}>
                <bdi dir="ltr">{invitation.email}</bdi>
              </td>
              <td data-label={t('team.col.role')}>{t(roleLabel(invitation.role))}</td>
              <td data-label={t('team.col.expires')}>{date(invitation.expires_at)}</td>
              <td className="num">
                <button
                  type="button"
                  className="button button-ghost button-small"
                  data-testid="revoke-invitation"
                  disabled={isSaving}
                  onClick={() => {
                    if (window.confirm(t('team.revokeConfirm', { email: invitation.email })))
                      void save(async () => {
                        setNotice(null);
                        await revokeTeamInvitation(api, invitation.id);
                        setNotice(t('team.revoked', { email: invitation.email }));
                        invitations.reload();
                      });
                  }}
                >
                  {t('team.revoke')}
                </button>
              </td>
            </tr>
          ))}
        </TableCard>
      </div>
    </div>
  );
}

function InviteForm({ onCancel, onInvited }: { onCancel(): void; onInvited(email: string): void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [fullName, setFullName] = useState('');
  const [role, setRole] = useState<TeamRole>('finance');
  // A portal user (role client) is a person of one customer: the customer is chosen with the role.
  const [customerId, setCustomerId] = useState('');
  const isClient = role === 'client';
  const customers = useLoader(
    (signal) => (isClient ? listCustomers(api, { page_size: 100 }, { signal }) : Promise.resolve(undefined)),
    [isClient],
  );
  const { error, isSaving, save } = useSave();

  function submit(event: FormEvent) {
    event.preventDefault();
    return save(async () => {
      const invited = await inviteMember(api, {
        email: email.trim(),
        role,
        ...(fullName.trim() ? { full_name: fullName.trim() } : {}),
        ...(isClient ? { customer_id: customerId } : {}),
      });
      onInvited(invited.email);
    });
  }

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} data-testid="invite-member-form">
      <h2 className="card-title">{t('team.invite')}</h2>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="form-grid">
        <label className="field">
          <span className="field-label">{t('team.email')}</span>
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
        <label className="field">
          <span className="field-label">{t('team.fullName')}</span>
          <input
            name="full_name"
            dir="auto"
            autoComplete="off"
            value={fullName}
            onChange={(e) => setFullName(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('team.role')}</span>
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as TeamRole)}>
            {ASSIGNABLE_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(roleLabel(r))}
              </option>
            ))}
            <option value="client">{t('portal.team.clientRole')}</option>
          </select>
        </label>
        {isClient && (
          <label className="field">
            <span className="field-label">{t('portal.team.customer')}</span>
            <select
              name="customer_id"
              required
              value={customerId}
              onChange={(e) => setCustomerId(e.target.value)}
            >
              <option value="">{t('portal.team.chooseCustomer')}</option>
              {customers.data?.customers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name_en}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {isClient && <p className="muted">{t('portal.team.clientHelp')}</p>}
      <p className="muted">{t('team.inviteHelp')}</p>
      <FormActions
        onCancel={onCancel}
        saveLabel={t('team.send')}
        isDisabled={isSaving || !email.trim() || (isClient && !customerId)}
        saveTestId="send-member-invitation"
      />
    </form>
  );
}
