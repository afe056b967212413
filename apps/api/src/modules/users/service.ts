import type { Role } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import { AppError, type FieldError } from '../../lib/errors';
import * as companies from '../companies/queries';
import { type Actor, inviteMember, updateMember } from '../companies/service';
import type { UserCreateInput, UserUpdateInput } from './schemas';

/**
 * The users of a company are its members, seen by its owners and admins. Everything here goes through the
 * companies module's member rules: adding is an invitation the person accepts (a new address signs up through the
 * link and sets its own password; an existing account accepts signed in), and role changes and deactivation keep
 * the last-owner guard.
 */
export function presentUser(member: companies.MemberRow) {
  const [first = '', ...rest] = member.full_name.trim().split(/\s+/);
  return {
    id: member.user_id,
    email: member.email,
    username: member.email,
    full_name: member.full_name,
    first_name: first,
    last_name: rest.join(' '),
    role: member.role,
    scopes: member.scopes,
    customer_id: member.customer_id,
    is_active: !member.is_suspended,
    joined_at: member.joined_at.toISOString(),
  };
}

function fullNameOf(input: Pick<UserCreateInput, 'full_name' | 'first_name' | 'last_name'>) {
  if (input.full_name) return input.full_name;
  const joined = [input.first_name, input.last_name].filter(Boolean).join(' ');
  return joined || undefined;
}

export async function listUsers(ctx: AppContext, companyId: string) {
  return (await companies.listMembers(ctx.db, { companyId })).map(presentUser);
}

export async function getUser(ctx: AppContext, companyId: string, userId: string) {
  const member = await companies.getMember(ctx.db, { companyId, userId, forUpdate: false });
  if (!member) throw new AppError('USER_NOT_FOUND');
  return presentUser(member);
}

export async function createUser(
  ctx: AppContext,
  companyId: string,
  actor: Actor & { role: Role },
  input: UserCreateInput,
  publicUrl: string,
) {
  // The schema asked for one of the two.
  const email = input.email ?? input.username ?? '';
  const invited = await inviteMember(
    ctx,
    companyId,
    actor,
    {
      email,
      role: input.role,
      scopes: input.scopes,
      customer_id: input.customer_id,
      full_name: fullNameOf(input),
    },
    publicUrl,
  );
  return { ...invited, email, role: input.role, customer_id: input.customer_id ?? null };
}

/**
 * A person's address and name belong to their account, which may be in other companies too: an admin sends them
 * back unchanged (as a PUT of what GET answered does) or not at all.
 */
function ownFieldErrors(current: ReturnType<typeof presentUser>, input: UserUpdateInput): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['email', 'username', 'full_name', 'first_name', 'last_name'] as const) {
    const value = input[field];
    if (value !== undefined && value !== current[field])
      errors.push({
        path: field,
        code: 'OWNED_BY_USER',
        message: 'A person changes their own name and address, from their account.',
      });
  }
  return errors;
}

export async function updateUser(
  ctx: AppContext,
  companyId: string,
  actor: Actor & { role: Role },
  userId: string,
  input: UserUpdateInput,
) {
  const current = await getUser(ctx, companyId, userId);
  const errors = ownFieldErrors(current, input);
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', { errors });
  const change = {
    ...(input.role !== undefined ? { role: input.role } : {}),
    ...(input.scopes !== undefined ? { scopes: input.scopes } : {}),
    ...(input.customer_id !== undefined ? { customer_id: input.customer_id } : {}),
    ...(input.is_active !== undefined ? { is_suspended: !input.is_active } : {}),
  };
  if (Object.keys(change).length === 0) return current;
  return presentUser(await updateMember(ctx, companyId, actor, userId, change));
}

/** Deactivating keeps the membership (and its history) but signs the person out of this company; PATCH is_active undoes it. */
export async function deactivateUser(
  ctx: AppContext,
  companyId: string,
  actor: Actor & { role: Role },
  userId: string,
) {
  await updateMember(ctx, companyId, actor, userId, { is_suspended: true });
}
