// npm run super-admin -w apps/api -- --grant <email> | --revoke <email>
// Platform administrators approve companies when REQUIRE_COMPANY_APPROVAL is on. No API makes one: the first has
// to be named by whoever runs the deployment. Exit 0 done, 1 no such account, 2 usage or configuration error.
// With the embedded database (DATA_DIR) stop the API first: PGlite has one writer and its data directory is locked.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Db, openDb, schema } from '@invoiceflow/db';
import { sql } from '@invoiceflow/db/orm';
import { loadConfig } from '../config';
import { recordAudit } from '../lib/audit';

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

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  const database = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: path.resolve(config.DATA_DIR) });
  try {
    const { exitCode, output } = await superAdminCommand(database.db, argv);
    (exitCode === 0 ? console.log : console.error)(output);
    return exitCode;
  } finally {
    await database.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
