import { schema } from '@invoiceflow/db';
import { eq, sql } from '@invoiceflow/db/orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, registerUser, type Session, type TestApp } from '../../../test/support/app';
import { SA_BUYER, SA_COMPANY } from '../../../test/support/companies';
import { withAfterCommit } from './extensions';
import { issueBodySchema } from './schemas';
import { dateIn, issueInvoice } from './service';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // pg-boss's tables exist: a job queued by a rolled-back issue would be visible there.
  await t.app.ctx.jobs.start();
});
afterAll(() => t.close());

const year = dateIn('Asia/Riyadh').slice(0, 4);
const B2B = {
  customer_name: SA_BUYER.name_en,
  customer_vat_number: SA_BUYER.vat_number,
  customer_address: SA_BUYER.address,
  line_items: [{ description: 'Consulting', quantity: 10, unit_price: 500, vat_rate: 15 }],
};

async function newCompany() {
  const session = await registerUser(t.app);
  return { session, call: as(t.app, session) };
}

const storedPdfCount = async (companyId: string) =>
  (
    await t.app.ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(schema.invoicePdfs)
      .where(eq(schema.invoicePdfs.companyId, companyId))
  )[0]?.n;

const jobCount = async () => {
  const result = (await t.app.ctx.db.execute(sql`SELECT count(*)::int AS n FROM pgboss.job`)) as unknown as {
    rows: { n: number }[];
  };
  return Number(result.rows[0]?.n);
};

const actorOf = (session: Session) => ({ userId: session.userId, requestId: 'test' });

describe('the issuing pipeline', () => {
  it('stores the PDF after the commit for generate and for a draft issue: the first download renders nothing', async () => {
    const { session, call } = await newCompany();
    const generated = (await call({ method: 'POST', url: '/api/v1/invoices/generate', payload: B2B })).json();
    const draft = (await call({ method: 'POST', url: '/api/v1/invoices', payload: B2B })).json();
    expect(await storedPdfCount(session.companyId)).toBe(1);
    const issued = (await call({ method: 'POST', url: `/api/v1/invoices/${draft.id}/issue` })).json();
    expect(await storedPdfCount(session.companyId)).toBe(2);
    for (const invoice of [generated, issued]) {
      const [stored] = await t.app.ctx.db
        .select({ pdf: schema.invoicePdfs.pdf })
        .from(schema.invoicePdfs)
        .where(eq(schema.invoicePdfs.invoiceId, invoice.id));
      expect(Buffer.from(invoice.pdf_base64, 'base64').equals(stored?.pdf as Buffer)).toBe(true);
      const download = await call({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/pdf` });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(stored?.pdf as Buffer)).toBe(true);
    }
  });

  it("issues inside a caller's transaction, and the PDF follows the caller's commit", async () => {
    const { session, call } = await newCompany();
    const outcome = await withAfterCommit(t.app.ctx, async (tx, afterCommit) => {
      const issued = await issueInvoice(
        t.app.ctx,
        session.companyId,
        actorOf(session),
        issueBodySchema.parse(B2B),
        {
          tx,
          afterCommit,
        },
      );
      // Still inside the caller's transaction: nothing rendered yet.
      expect(issued.body.pdf_base64).toBeNull();
      return issued;
    });
    expect(outcome.body).toMatchObject({ invoice_number: `INV-${year}-000001`, status: 'issued' });
    expect(await storedPdfCount(session.companyId)).toBe(1);
    const read = await call({ method: 'GET', url: `/api/v1/invoices/${outcome.body.id}` });
    expect(read.json()).toMatchObject({ id: outcome.body.id, qr_code_data: expect.any(String) });
  });

  it("leaves no number, invoice, PDF or job when the caller's transaction rolls back", async () => {
    const { session, call } = await newCompany();
    const jobsBefore = await jobCount();
    let issuedId: string | undefined;
    await expect(
      withAfterCommit(t.app.ctx, async (tx, afterCommit) => {
        const issued = await issueInvoice(
          t.app.ctx,
          session.companyId,
          actorOf(session),
          issueBodySchema.parse(B2B),
          {
            tx,
            afterCommit,
          },
        );
        issuedId = issued.body.id;
        throw new Error('out of stock');
      }),
    ).rejects.toThrow('out of stock');
    expect(issuedId).toEqual(expect.any(String));
    expect((await call({ method: 'GET', url: `/api/v1/invoices/${issuedId}` })).statusCode).toBe(404);
    expect((await call({ method: 'GET', url: '/api/v1/invoices' })).json().total).toBe(0);
    expect(await storedPdfCount(session.companyId)).toBe(0);
    expect(await jobCount()).toBe(jobsBefore);
    const next = (await call({ method: 'POST', url: '/api/v1/invoices/generate', payload: B2B })).json();
    expect(next.invoice_number).toBe(`INV-${year}-000001`);
    expect((await call({ method: 'GET', url: `/api/v1/invoices/${next.id}/zatca` })).json().icv).toBe(1);
  });

  it('checks the ZATCA rules before it waits for the number counter or the EGS unit (PostgreSQL)', async (context) => {
    const url = t.database.url;
    if (!url) return context.skip();
    const { session, call } = await newCompany();
    expect((await call({ method: 'POST', url: '/api/v1/invoices/generate', payload: B2B })).statusCode).toBe(
      201,
    );
    // Another issue of the company holds its counter row and its EGS unit.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM invoice_number_counters WHERE company_id = $1 FOR UPDATE', [
        session.companyId,
      ]);
      await holder.query('SELECT 1 FROM egs_units WHERE company_id = $1 FOR UPDATE', [session.companyId]);
      // BR-CUSTOM-VALIDATION-01: the buyer's VAT number is the seller's own.
      let answered = false;
      const pending = call({
        method: 'POST',
        url: '/api/v1/invoices/generate',
        payload: { ...B2B, customer_vat_number: SA_COMPANY.vat_number },
      }).then((response) => {
        answered = true;
        return response;
      });
      // Either the refusal arrives, or the request is seen waiting for one of the held rows.
      let sawWaiting = false;
      while (!answered) {
        const waiting = await holder.query(
          "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
        );
        if (waiting.rows.length > 0) {
          sawWaiting = true;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await holder.query('ROLLBACK');
      const response = await pending;
      expect(sawWaiting).toBe(false);
      expect(response.statusCode).toBe(422);
      expect(response.json().errors).toEqual([expect.objectContaining({ code: 'BR-CUSTOM-VALIDATION-01' })]);
    } finally {
      await holder.end();
    }
    const next = (await call({ method: 'POST', url: '/api/v1/invoices/generate', payload: B2B })).json();
    expect(next.invoice_number).toBe(`INV-${year}-000002`);
    expect((await call({ method: 'GET', url: `/api/v1/invoices/${next.id}/zatca` })).json().icv).toBe(2);
  });
});
