import { z } from 'zod';
import { companyCreateSchema } from '../companies/schemas';

export const emailSchema = z
  .email()
  .max(254)
  .transform((email) => email.toLowerCase());
// NIST SP 800-63B: length over composition rules; the upper bound keeps hashing cheap.
export const passwordSchema = z.string().min(10, 'Use at least 10 characters.').max(256);

export const registerBodySchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  full_name: z.string().trim().min(1).max(200),
  company: companyCreateSchema,
});

export const loginBodySchema = z.strictObject({ email: emailSchema, password: z.string().min(1).max(256) });
export const mfaLoginBodySchema = z.strictObject({
  mfa_token: z.string().min(1).max(2000),
  code: z.string().trim().min(6).max(20),
});
export const refreshBodySchema = z.strictObject({ refresh_token: z.string().min(1).max(200) });
export const forgotBodySchema = z.strictObject({ email: emailSchema });
export const resetBodySchema = z.strictObject({
  token: z.string().min(1).max(200),
  password: passwordSchema,
});
/** A signed-in user's new password: the current one again, throttled like a sign-in. */
export const passwordChangeBodySchema = z.strictObject({
  current_password: z.string().min(1).max(256),
  new_password: passwordSchema,
});
/** Changes to the second factor need the current password again (a stolen session alone is not enough). */
export const mfaEnrollBodySchema = z.strictObject({ password: z.string().min(1).max(256) });
export const mfaConfirmBodySchema = z.strictObject({
  code: z.string().trim().min(6).max(20),
  password: z.string().min(1).max(256),
});
export const mfaDisableBodySchema = z.strictObject({
  password: z.string().min(1).max(256),
  code: z.string().trim().min(6).max(20),
});

export const tokensSchema = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
});

export const loginResponseSchema = z.union([
  tokensSchema,
  z.object({ mfa_required: z.literal(true), mfa_token: z.string(), expires_in: z.number().int() }),
]);

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  full_name: z.string(),
  mfa_enabled: z.boolean(),
  is_super_admin: z.boolean(),
  /** Until it is, the account runs its own companies but joins no other. */
  email_verified: z.boolean(),
});

export const meResponseSchema = z.object({
  user: userSchema,
  companies: z.array(
    z.object({
      id: z.uuid(),
      legal_name_en: z.string(),
      legal_name_ar: z.string().nullable(),
      country: z.string(),
      role: z.string(),
    }),
  ),
  current_company_id: z.uuid().nullable(),
});

export const mfaEnrollResponseSchema = z.object({
  secret: z.string(),
  otpauth_uri: z.string(),
  qr_svg: z.string(),
});
export const backupCodesResponseSchema = z.object({ backup_codes: z.array(z.string()) });

export const verifyEmailBodySchema = z.strictObject({ token: z.string().min(1).max(200) });

export const sessionSchema = z.object({
  /** The login's id (its refresh-token family). */
  id: z.uuid(),
  /** Browser and system as recognized at sign-in ("Firefox on Windows"); null when not recognized. */
  device: z.string().nullable(),
  started_at: z.string(),
  /** When a token of it was last issued (sign-in or refresh). */
  last_used_at: z.string(),
  expires_at: z.string(),
  /** The login the request was made with. */
  current: z.boolean(),
});
export const sessionListSchema = z.object({ sessions: z.array(sessionSchema) });
export const sessionParamsSchema = z.strictObject({ id: z.uuid() });
