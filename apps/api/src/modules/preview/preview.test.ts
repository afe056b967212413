import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AE_COMPANY,
  as,
  createTestApp,
  registerUser,
  type Session,
  type TestApp,
} from '../../../test/support/app';

let t: TestApp;
let session: Session;
beforeAll(async () => {
  t = await createTestApp();
  session = await registerUser(t.app);
});
afterAll(() => t.close());

const preview = (payload: unknown, token = session.accessToken) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/preview/calculate',
    payload: payload as object,
    headers: { authorization: `Bearer ${token}` },
  });

describe('POST /api/v1/preview/calculate', () => {
  it("answers seed 000's example exactly", async () => {
    const response = await preview({
      line_items: [{ description: 'Service', quantity: 10, unit_price: 500, vat_rate: 15 }],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      subtotal: '5000.00',
      vat_amount: '750.00',
      total_amount: '5750.00',
      is_valid: true,
      errors: [],
      currency: 'SAR',
    });
  });

  it('breaks down mixed rates per line and per category, with decimal strings', async () => {
    const response = await preview({
      lines: [
        { description: 'Consulting', quantity: '3', unit_price: '199.99', vat_category: 'S', vat_rate: '15' },
        {
          description: 'Export',
          quantity: 2,
          unit_price: 0.1,
          vat_category: 'Z',
          vat_rate: 0,
          exemption_reason_code: 'VATEX-SA-32',
          exemption_reason: 'Export of goods',
        },
      ],
      allowances_charges: [{ is_charge: false, amount: '10', vat_category: 'S', vat_rate: '15' }],
    });
    const body = response.json();
    expect(body.errors).toEqual([]);
    expect(body.lines.map((line: { net_amount: string }) => line.net_amount)).toEqual(['599.97', '0.20']);
    expect(body.vat_breakdown).toEqual([
      expect.objectContaining({ category: 'S', rate: '15', taxable_amount: '589.97', vat_amount: '88.50' }),
      expect.objectContaining({ category: 'Z', rate: '0', taxable_amount: '0.20', vat_amount: '0.00' }),
    ]);
    expect(body).toMatchObject({ subtotal: '590.17', vat_amount: '88.50', total_amount: '678.67' });
    expect(body.totals.payable_amount).toBe('678.67');
  });

  it('reports field errors with paths, and refuses NaN, Infinity and exponent notation', async () => {
    const response = await preview({
      line_items: [
        { description: 'a', quantity: '1e3', unit_price: 5 },
        { description: 'b', quantity: 'NaN', unit_price: 'Infinity' },
        // A number String() writes in exponent form; beyond 2^53 (1e21) the JSON parser's door refuses it first.
        { description: 'c', quantity: 1, unit_price: 1e-7 },
        { description: 'd', quantity: -1, unit_price: '10', vat_rate: 7 },
        'not a line',
      ],
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.is_valid).toBe(false);
    const byPath = Object.fromEntries(
      body.errors.map((e: { path: string; code: string }) => [e.path, e.code]),
    );
    expect(byPath).toMatchObject({
      'line_items.0.quantity': 'INVALID_NUMBER',
      'line_items.1.quantity': 'INVALID_NUMBER',
      'line_items.1.unit_price': 'INVALID_NUMBER',
      'line_items.2.unit_price': 'INVALID_NUMBER',
      'line_items.3.quantity': 'BR-KSA-F-04',
      'line_items.3.vat_rate': expect.any(String),
      'line_items.4': 'INVALID_TYPE',
    });
  });

  it('checks the buyer once the editor sends one', async () => {
    const body = (
      await preview({
        subtype: 'standard',
        customer_name: '',
        customer_vat_number: '123',
        line_items: [{ quantity: 1, unit_price: 1 }],
      })
    ).json();
    expect(body.is_valid).toBe(false);
    expect(body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['customer_vat_number', 'customer_address']),
    );
    // ZATCA only warns about a tax invoice without the buyer's name (BR-KSA-42): shown, not blocking.
    expect(body.warnings).toEqual([
      expect.objectContaining({ path: 'customer_name', code: 'BR-KSA-42', message_ar: expect.any(String) }),
    ]);
  });

  it('answers a visitor without a token, within a budget per address; a signed-in caller has none', async () => {
    const other = await createTestApp({ ANONYMOUS_PER_MINUTE: 3 });
    try {
      const send = (headers: Record<string, string> = {}) =>
        other.app.inject({
          method: 'POST',
          url: '/api/v1/preview/calculate',
          headers,
          // The live preview's own example, sent as written: no token.
          payload: { line_items: [{ description: 'Service', quantity: 10, unit_price: 500, vat_rate: 15 }] },
        });
      for (let i = 0; i < 3; i++) {
        const answer = await send();
        expect(answer.statusCode).toBe(200);
        expect(answer.json()).toMatchObject({
          subtotal: '5000.00',
          vat_amount: '750.00',
          total_amount: '5750.00',
        });
      }
      const refused = await send();
      expect(refused.statusCode).toBe(429);
      expect(refused.json().code).toBe('TOO_MANY_REQUESTS');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      const user = await registerUser(other.app);
      for (let i = 0; i < 5; i++)
        expect((await send({ authorization: `Bearer ${user.accessToken}` })).statusCode).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('needs a valid token when one is sent, and a JSON object', async () => {
    expect((await preview({ line_items: [] }, 'garbage')).statusCode).toBe(401);
    expect((await preview([1, 2])).statusCode).toBe(400);
  });

  it('reads the signed-in caller’s company once, then answers keystrokes without the database', async () => {
    const other = await createTestApp();
    try {
      const user = await registerUser(other.app);
      const keystroke = () =>
        other.app.inject({
          method: 'POST',
          url: '/api/v1/preview/calculate',
          payload: { line_items: [{ quantity: 2, unit_price: '2.50' }] },
          headers: { authorization: `Bearer ${user.accessToken}` },
        });
      expect((await keystroke()).json().total_amount).toBe('5.75');
      await other.database.close();
      const response = await keystroke();
      expect(response.statusCode).toBe(200);
      expect(response.json().total_amount).toBe('5.75');
    } finally {
      await other.app.close();
    }
  });
});

describe('the preview of a signed-in caller, by the company’s jurisdiction profile', () => {
  const DUTCH = {
    legal_name_en: 'Jansen Design',
    country: 'NL',
    vat_number: 'NL123456789B01',
    address: { street: 'Keizersgracht 1', city: 'Amsterdam', postal_code: '1015 CJ', country: 'NL' },
  };
  const calculate = (caller: ReturnType<typeof as>, payload: object, headers = {}) =>
    caller({ method: 'POST', url: '/api/v1/preview/calculate', payload, headers });

  it('judges a Dutch invoice by its own rate list and currency, as issuing does', async () => {
    const dutch = as(t.app, await registerUser(t.app, DUTCH));
    const valid = (
      await calculate(dutch, {
        lines: [{ quantity: '10', unit_price: '100', vat_category: 'S', vat_rate: '21' }],
      })
    ).json();
    expect(valid).toMatchObject({ is_valid: true, errors: [], currency: 'EUR', vat_amount: '210.00' });

    const body = { lines: [{ quantity: '1', unit_price: '100', vat_category: 'S', vat_rate: '15' }] };
    const refused = (await calculate(dutch, body)).json();
    expect(refused.is_valid).toBe(false);
    expect(refused.errors).toEqual([
      expect.objectContaining({ path: 'lines.0.vat_rate', code: 'VAT_RATE_NOT_IN_COMPANY_LIST' }),
    ]);
    // The same line at issue: the same error on the same path.
    const issued = await dutch({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: { ...body, customer_name: 'Acme Buyer' },
    });
    expect(issued.statusCode).toBe(422);
    expect(issued.json().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'lines.0.vat_rate', code: 'VAT_RATE_NOT_IN_COMPANY_LIST' }),
      ]),
    );
  });

  it('takes a UAE company’s 5 % and AED for a line that names neither, whatever jurisdiction the body claims', async () => {
    const emirati = as(t.app, await registerUser(t.app, AE_COMPANY));
    for (const jurisdiction of [undefined, 'SA']) {
      const answer = (
        await calculate(emirati, { jurisdiction, line_items: [{ quantity: 1, unit_price: 100 }] })
      ).json();
      expect(answer).toMatchObject({
        is_valid: true,
        currency: 'AED',
        vat_amount: '5.00',
        total_amount: '105.00',
      });
    }
  });

  it('answers 404 for a company the caller is not a member of', async () => {
    const stranger = await registerUser(t.app, DUTCH);
    const response = await calculate(
      as(t.app, session),
      { line_items: [{ quantity: 1, unit_price: 1 }] },
      {
        'x-company-id': stranger.companyId,
      },
    );
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('COMPANY_NOT_FOUND');
  });

  it('refuses the token of a login that was signed out, rather than judge by its company', async () => {
    const user = await registerUser(t.app, DUTCH);
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      payload: { refresh_token: user.refreshToken },
    });
    expect(out.statusCode).toBe(204);
    const response = await calculate(as(t.app, user), { line_items: [{ quantity: 1, unit_price: 1 }] });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('TOKEN_INVALID');
  });

  it('judges a visitor by the jurisdiction the body names, SA by default', async () => {
    const visit = (payload: object) =>
      t.app.inject({ method: 'POST', url: '/api/v1/preview/calculate', payload });
    const line_items = [{ quantity: 1, unit_price: 100 }];
    expect((await visit({ line_items })).json()).toMatchObject({ currency: 'SAR', vat_amount: '15.00' });
    expect((await visit({ jurisdiction: 'AE', line_items })).json()).toMatchObject({
      currency: 'AED',
      vat_amount: '5.00',
    });
    const unknown = (await visit({ jurisdiction: 'NL', line_items })).json();
    expect(unknown.errors).toEqual([
      {
        path: 'jurisdiction',
        code: 'JURISDICTION_UNKNOWN',
        message: 'Use SA, AE or GENERIC.',
        message_ar: 'اختر SA أو AE أو GENERIC.',
      },
    ]);
  });
});

describe('the access log', () => {
  it('leaves out the keystroke-by-keystroke preview but keeps other requests and the preview’s refusals', async () => {
    const lines: string[] = [];
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const logged = await createTestApp({}, { logStream });
    try {
      const user = await registerUser(logged.app);
      const headers = { authorization: `Bearer ${user.accessToken}` };
      const url = '/api/v1/preview/calculate';
      for (let i = 0; i < 5; i++) {
        const answer = await logged.app.inject({
          method: 'POST',
          url,
          headers,
          payload: { line_items: [{ quantity: 1, unit_price: 10 + i, vat_rate: 15 }] },
        });
        expect(answer.statusCode).toBe(200);
      }
      expect((await logged.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(200);
      const entries = lines.map((line) => JSON.parse(line) as { msg?: string; req?: { url?: string } });
      const urls = entries.map((entry) => entry.req?.url).filter(Boolean);
      expect(urls).toContain('/api/v1/me');
      expect(urls).not.toContain(url);
    } finally {
      await logged.close();
    }
  });
});

describe('the per-address flood guard', () => {
  it('does not count the preview, so people typing behind one address are not locked out of the rest', async () => {
    const guarded = await createTestApp({ RATE_LIMIT_PER_MINUTE: 3 });
    try {
      const token = (
        await guarded.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: NEW_USER })
      ).json().access_token as string;
      const headers = { authorization: `Bearer ${token}` };
      const previews = [];
      for (let i = 0; i < 6; i++) {
        const answer = await guarded.app.inject({
          method: 'POST',
          url: '/api/v1/preview/calculate',
          headers,
          payload: { line_items: [{ quantity: 1, unit_price: 10 + i, vat_rate: 15 }] },
        });
        previews.push(answer.statusCode);
      }
      expect(previews).toEqual([200, 200, 200, 200, 200, 200]);
      // The registration took one of the three; two more reads, then the guard answers.
      const reads = [];
      for (let i = 0; i < 3; i++)
        reads.push((await guarded.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode);
      expect(reads).toEqual([200, 200, 429]);
    } finally {
      await guarded.close();
    }
  });
});

const NEW_USER = {
  email: 'typist@example.com',
  password: 'a long enough password',
  full_name: 'Typist',
  company: {
    legal_name_en: 'Typists Co',
    country: 'SA',
    vat_number: '399999999900003',
    registration_number: '1010010000',
    address: {
      street: 'King Fahd Road',
      building_number: '1234',
      district: 'Al-Olaya',
      city: 'Riyadh',
      postal_code: '12345',
      country: 'SA',
    },
  },
};
