// npm run super-admin -w apps/api -- --grant <email> | --revoke <email>
// Platform administrators approve companies when REQUIRE_COMPANY_APPROVAL is on. No API makes one: the first has
// to be named by whoever runs the deployment. Exit 0 done, 1 no such account, 2 usage or configuration error.
// With the embedded database (DATA_DIR) stop the API first: PGlite has one writer and its data directory is locked.
import { type Db, schema } from '@invoiceflow/db';
import { sql } from '@invoiceflow/db/orm';
import { recordAudit } from '../lib/audit';
import { runCli } from './run-cli';

const USAGE = 'usage: super-admin --grant <email> | --revoke <email>';

export async function superAdminCommand(
  db: Db,
  argv: string[],
): Promise<{ exitCode: number; output: string }> {
  const grant = argv.indexOf('--grant');
  const revoke = argv.indexOf('--revoke');
  if (grant < 0 === revoke < 0) return { exitCode: 2, output: USAGE };
  const email = argv[Math.max(grant, revoke) + 1];
  if (!email?.includes('@')) return { exitCode: 2, output: USAGE };
  const isSuperAdmin = grant >= 0;
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(schema.users)
      .set({ isSuperAdmin, updatedAt: new Date() })
      .where(sql`lower(${schema.users.email}) = ${email.toLowerCase()}`)
      .returning({ id: schema.users.id });
    if (!user) return { exitCode: 1, output: 'No account has this e-mail address.' };
    await recordAudit(tx, {
      companyId: null,
      actorUserId: null,
      action: isSuperAdmin ? 'user.super_admin_granted' : 'user.super_admin_revoked',
      entityType: 'user',
      entityId: user.id,
      requestId: null,
    });
    return { exitCode: 0, output: isSuperAdmin ? 'Granted.' : 'Revoked.' };
  });
}

runCli(import.meta.url, USAGE, async (db, argv) => {
  const { exitCode, output } = await superAdminCommand(db, argv);
  (exitCode === 0 ? console.log : console.error)(output);
  return exitCode;
});
