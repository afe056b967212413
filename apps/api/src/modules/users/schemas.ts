import { ACCOUNTANT_SCOPES, ROLES } from '@invoiceflow/db/schema';
import { z } from 'zod';

/** Role names as people write them (`Admin`, `Viewer`): matched without regard to case. */
const roleSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.toLowerCase() : value),
  z.enum(ROLES),
);
const emailSchema = z
  .email()
  .max(254)
  .transform((email) => email.toLowerCase());
const nameSchema = z.string().trim().min(1).max(100);

/**
 * A person's sign-in and name fields, under our names and the Django-style names callers also send (`username`
 * is the sign-in name, which is the e-mail address here; `first_name` and `last_name` make `full_name`).
 */
const identityFields = {
  email: emailSchema.optional(),
  username: emailSchema.optional(),
  full_name: z.string().trim().min(1).max(200).optional(),
  first_name: nameSchema.optional(),
  last_name: nameSchema.optional(),
};

const membershipFields = {
  scopes: z.array(z.enum(ACCOUNTANT_SCOPES)).max(5).optional(),
  /** With role `client`: the customer record of this company the person acts for. */
  customer_id: z.uuid().optional(),
};

export const userCreateSchema = z
  .strictObject({
    ...identityFields,
    role: roleSchema,
    ...membershipFields,
    // Named so the answer can say why: the invited person chooses their own password.
    password: z.unknown().optional(),
  })
  .superRefine((body, issues) => {
    if (body.password !== undefined)
      issues.addIssue({
        code: 'custom',
        path: ['password'],
        params: { code: 'SET_BY_INVITEE' },
        message: 'The invited person sets their own password when they accept.',
      });
    if (!body.email && !body.username)
      issues.addIssue({ code: 'custom', path: ['email'], message: 'Required.' });
    if (body.email && body.username && body.email !== body.username)
      issues.addIssue({
        code: 'custom',
        path: ['username'],
        message: 'The sign-in name is the e-mail address: they must be the same.',
      });
  });
export type UserCreateInput = z.infer<typeof userCreateSchema>;

/** PUT: the whole membership (role required); the person's own fields may be sent back as they are. */
export const userReplaceSchema = z.strictObject({
  ...identityFields,
  role: roleSchema,
  ...membershipFields,
  is_active: z.boolean().optional(),
});

export const userUpdateSchema = z
  .strictObject({
    ...identityFields,
    role: roleSchema.optional(),
    ...membershipFields,
    is_active: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change.' });
export type UserUpdateInput = z.infer<typeof userUpdateSchema>;

export const userIdParamSchema = z.strictObject({ id: z.uuid() });

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  username: z.string(),
  full_name: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  role: z.enum(ROLES),
  scopes: z.array(z.enum(ACCOUNTANT_SCOPES)),
  customer_id: z.uuid().nullable(),
  is_active: z.boolean(),
  joined_at: z.string(),
});

export const userInvitedSchema = z.object({
  status: z.literal('invited'),
  invitation_id: z.uuid(),
  email: z.string(),
  role: z.enum(ROLES),
  customer_id: z.uuid().nullable(),
  expires_at: z.string(),
});
