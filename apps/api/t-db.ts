import { openDb } from '@invoiceflow/db';

const t0 = Date.now();
const d = await openDb({ dataDir: '/tmp/t-pgl' });
console.log('open', Date.now() - t0);
await d.migrate();
console.log('migrated', Date.now() - t0);
console.log(await d.execute('select count(*) from users'));
try {
  await openDb({ dataDir: '/tmp/t-pgl' });
} catch (e) {
  console.log('second:', (e as Error).message);
}
await d.close();
