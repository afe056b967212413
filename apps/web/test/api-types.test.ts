import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../api/test/support/database';
import { API_TYPES_FILE, apiTypes } from '../scripts/api-types';

// The CI check of the generated wire types: the API's OpenAPI document, made now from its Zod schemas, must give
// the openapi.d.ts that is committed, or the web app type-checks against an API that no longer exists.
describe('the web app wire types (apps/web/src/api/openapi.d.ts)', () => {
  it('are what the API declares now', { timeout: 120_000 }, async () => {
    const current = await apiTypes(await createTestDatabase());
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    expect(
      committed === current,
      'apps/web/src/api/openapi.d.ts is out of date with the API: run `npm run api:types` and commit it',
    ).toBe(true);
  });

  it('name the routes the web app calls, with their answers', async () => {
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    for (const path of ['/api/v1/auth/login', '/api/v1/me', '/api/v1/invoices/{id}', '/api/v1/customers'])
      expect(committed).toContain(`"${path}": {`);
    expect(committed).toContain('Problem: {');
  });
});
