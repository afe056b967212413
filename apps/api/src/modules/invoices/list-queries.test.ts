// The list's status filters are spelled-out conditions (for the partial index): they must select exactly the
// invoices whose derived status is that status. Search takes several paths (the walk through the newest
// invoices, trigram sort with its own count, count past the last page) and asks the trigram index for parts of
// the text only: each must give the same page and total as a plain substring scan. A text the index cannot
// narrow (1–2 characters) is looked for among the first SHORT_TEXT_WINDOW invoices of the list only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { listInvoices, SEARCH_COUNT_CAP, SHORT_TEXT_WINDOW, type SortKey } from './queries';
import { foldSearchText, isIndexable, searchProbes } from './search-text';

let t: TestApp;
let companyId: string;

beforeAll(async () => {
  t = await createTestApp();
  companyId = (await registerUser(t.app)).companyId;
  // Every branch of the derived status: draft, credited, paid, overdue, partially paid, issued/sent, a
  // credit note past its due date (never overdue), a paid invoice also partly credited.
  const rows: [string, string, string, string, string, string, string | null][] = [
    // number, type, status, total, paid, credited, due date
    ['D-1', 'invoice', 'draft', '100', '0', '0', '2020-01-01'],
    ['C-1', 'invoice', 'issued', '100', '0', '100', '2020-01-01'],
    ['P-1', 'invoice', 'issued', '100', '100', '0', '2020-01-01'],
    ['P-2', 'invoice', 'sent', '100', '60', '40', '2099-01-01'],
    ['O-1', 'invoice', 'issued', '100', '0', '0', '2020-01-01'],
    ['O-2', 'invoice', 'sent', '100', '30', '0', '2020-01-01'],
    ['PP-1', 'invoice', 'issued', '100', '30', '0', '2099-01-01'],
    ['I-1', 'invoice', 'issued', '100', '0', '0', '2099-01-01'],
    ['I-2', 'invoice', 'issued', '100', '0', '0', null],
    ['CN-1', 'credit_note', 'issued', '100', '0', '0', '2020-01-01'],
    ['Z-1', 'invoice', 'issued', '0', '0', '0', '2099-01-01'],
  ];
  for (const [i, [number, type, status, total, paid, credited, due]] of rows.entries()) {
    await t.database.execute(
      `INSERT INTO invoices (company_id, number, type, subtype, status, customer_name_en, customer_name_ar,
        issue_date, due_date, currency, subtotal, vat_amount, total_amount, payable_amount, paid_amount,
        credited_amount, snapshot)
       VALUES ('${companyId}', '${number}', '${type}', 'standard', '${status}', 'Gulf Steel ${i}', 'شركة الخليج',
        date '2025-01-01' + ${i}, ${due ? `'${due}'` : 'NULL'}, 'SAR', '${total}', '0', '${total}', '${total}',
        '${paid}', '${credited}', '{}')`,
    );
  }
});
afterAll(() => t.close());

const base = { sort: 'issue_date' as const, order: 'desc' as const, limit: 50, offset: 0 };

describe('list queries', () => {
  it('select by status exactly the invoices whose derived status it is', async () => {
    // Drafts are listed only when asked for (status=draft): the list and its count are documents.
    const all = await listInvoices(t.database.db, { companyId, ...base });
    expect(all.total).toBe(10);
    const statuses = new Set(all.rows.map((row) => row.status));
    expect([...statuses].sort()).toEqual(['credited', 'issued', 'overdue', 'paid', 'partially_paid']);
    for (const status of [...statuses, 'sent']) {
      const filtered = await listInvoices(t.database.db, { companyId, ...base, status });
      const expected = all.rows.filter((row) => row.status === status).map((row) => row.number);
      expect(filtered.rows.map((row) => row.number)).toEqual(expected);
      expect(filtered).toMatchObject({ total: expected.length, isTotalExact: true });
    }
    const drafts = await listInvoices(t.database.db, { companyId, ...base, status: 'draft' });
    expect(drafts).toMatchObject({ rows: [expect.objectContaining({ number: 'D-1' })], total: 1 });
    const paid = await listInvoices(t.database.db, { companyId, ...base, status: 'paid' });
    expect(paid.rows.map((row) => row.number)).toEqual(['P-2', 'P-1']);
    const overdue = await listInvoices(t.database.db, { companyId, ...base, status: 'overdue' });
    expect(overdue.rows.map((row) => row.number)).toEqual(['O-2', 'O-1']);
  });

  it('search: the same page and total by every path, case-insensitive as before', async () => {
    const search = (text: string, extra: Partial<typeof base> = {}) =>
      listInvoices(t.database.db, { companyId, ...base, ...extra, text });
    // Newest first, page full within the recent window, then counted.
    const full = await search('GULF steel', { limit: 3 });
    expect(full.rows.map((row) => row.number)).toEqual(['Z-1', 'CN-1', 'I-2']);
    expect(full).toMatchObject({ total: 10, isTotalExact: true });
    // Not full: sorted and counted by the trigram query.
    const few = await search('gulf steel 1');
    expect(few.rows.map((row) => row.number).sort()).toEqual(['C-1', 'Z-1']);
    expect(few).toMatchObject({ total: 2, isTotalExact: true });
    // Other orders, a later page, a page past the end.
    const byTotal = await search('الخليج', { sort: 'total', order: 'asc', limit: 2, offset: 2 } as never);
    expect(byTotal.rows).toHaveLength(2);
    expect(byTotal).toMatchObject({ total: 10, isTotalExact: true });
    const past = await search('gulf', { limit: 5, offset: 20, order: 'asc' } as never);
    expect(past).toMatchObject({ rows: [], total: 10, isTotalExact: true });
    expect((await search('p-1')).rows.map((row) => row.number)).toEqual(['PP-1', 'P-1']);
    expect((await search('nothing like it')).total).toBe(0);
  });

  it('search: a text of 1–2 characters finds every match, with an exact total, in a company of a few invoices', async () => {
    const { rows: newestFirst } = (await t.database.execute(
      `SELECT number, search_text FROM invoices WHERE company_id = $1 AND status <> 'draft'
       ORDER BY issue_date DESC, id DESC`,
      [companyId],
    )) as { rows: { number: string; search_text: string }[] };
    for (const text of ['p', '-2', 'c-', '1', 'o', 'ال', 'zz']) {
      const expected = newestFirst.filter((row) => row.search_text.includes(text)).map((row) => row.number);
      const found = await listInvoices(t.database.db, { companyId, ...base, text: foldSearchText(text) });
      expect(found.rows.map((row) => row.number)).toEqual(expected);
      expect(found).toMatchObject({ total: expected.length, isTotalExact: true });
    }
    const byNumber = await listInvoices(t.database.db, {
      companyId,
      ...base,
      sort: 'number',
      order: 'asc',
      limit: 2,
      offset: 1,
      text: 'p',
    });
    expect(byNumber.rows.map((row) => row.number)).toEqual(['P-2', 'PP-1']);
    expect(byNumber).toMatchObject({ total: 3, isTotalExact: true });
  });
});

describe('search by the selective parts of the text', () => {
  it('asks the trigram index for substrings of the text without the trigrams in nearly every row', () => {
    // Number-like: the trailing group with its separator.
    expect(searchProbes('INV-2025-0004')).toEqual(['-0004']);
    expect(searchProbes('inv 2025/000123')).toEqual(['/000123']);
    expect(searchProbes('2025-0004')).toEqual(['-0004']);
    expect(searchProbes('INV2025.00412')).toEqual(['.00412']);
    // Digit runs: the stretches without two zeros in a trigram.
    expect(searchProbes('000123')).toEqual(['0123']);
    expect(searchProbes('31000')).toEqual(['310']);
    expect(searchProbes('12300456007890')).toEqual(['1230', '04560', '07890']);
    // Words: each on its own, none under 3 characters; a zero-padded group keeps its separator.
    expect(searchProbes('Oasis Paper 3')).toEqual(['Oasis', 'Paper']);
    expect(searchProbes('GAMMA ste')).toEqual(['GAMMA', 'ste']);
    expect(searchProbes('الخليج 2025-0004')).toEqual(['الخليج', '2025', '-0004']);
    expect(searchProbes('a\\_2025-0004')).toEqual(['2025', '-0004']);
    expect(searchProbes('100\\%')).toEqual(['100']);
    // Without three letters or digits in a row there is no trigram to look up at all.
    for (const text of ['x', 'ab', '٧', 'p-1', 'a b', '1%', 'ال'])
      expect(isIndexable(foldSearchText(text))).toBe(false);
    for (const text of ['abc', '2025', 'p-123', 'الخ', 'a\\_bcd']) expect(isIndexable(text)).toBe(true);
    // Looked up whole.
    for (const whole of [
      '4567',
      'falcon',
      'الذهبيه',
      '0004',
      '-0004',
      'INV-2025-00',
      'INV-2025-12',
      'p-1',
      'x',
    ]) {
      expect(searchProbes(whole)).toEqual([]);
    }
  });

  it('matches exactly the invoices whose search text contains the whole text', async () => {
    const other = (await registerUser(t.app)).companyId;
    // Rows that contain the trailing group but not the whole number (other year, other prefix, a name).
    const rows: [string, string, string | null][] = [
      ['INV-2025-000004', 'Gulf Steel', 'شركة الخليج'],
      ['INV-2025-000040', 'Shop-0004 Trading', null],
      ['INV-2024-000004', 'Desert Foods', 'الصحراء'],
      ['INV-2025-100004', 'Royal Motors', null],
      ['CN-2025-000004', 'Gulf Steel', 'شركة الخليج'],
      ['INV-2025-0004', 'Falcon 2025-0004', null],
      ['inv-2025-000412', 'Oasis Paper', 'الواحة للورق'],
      // Rows that hold a probe of a text but not the text (`0123`, `310`, `oasis` and `paper` apart).
      ['INV-2026-000123', 'Oasis Paper 310', null],
      ['INV-2026-010123', 'Paper Oasis 3', null],
      ['INV-2026-031000', 'Steel Gulf', null],
    ];
    for (const [i, [number, nameEn, nameAr]] of rows.entries()) {
      await t.database.execute(
        `INSERT INTO invoices (company_id, number, type, subtype, status, customer_name_en, customer_name_ar,
          issue_date, currency, subtotal, vat_amount, total_amount, payable_amount, snapshot)
         VALUES ('${other}', '${number}', 'invoice', 'standard', 'issued', '${nameEn}',
          ${nameAr ? `'${nameAr}'` : 'NULL'}, date '2025-01-01' + ${i}, 'SAR', '1', '0', '1', '1', '{}')`,
      );
    }
    const all = await listInvoices(t.database.db, { companyId: other, ...base });
    const haystack = new Map(
      rows.map(([number, nameEn, nameAr]) => [
        number,
        `${number} ${nameEn}${nameAr ? ` ${nameAr}` : ''}`.toLowerCase(),
      ]),
    );
    const terms = [
      'INV-2025-0004',
      'inv-2025-00004',
      '2025-0004',
      'INV-0004',
      'shop-0004',
      'CN-2025-000004',
      'الخليج',
      '000123',
      '31000',
      '00412',
      'oasis paper 3',
      'gulf steel',
      'steel gulf',
      'trading shop',
    ];
    for (const term of terms) {
      const expected = all.rows
        .map((row) => row.number)
        .filter((number) => haystack.get(number)?.includes(term.toLowerCase()));
      for (const limit of [1, 50]) {
        const found = await listInvoices(t.database.db, {
          companyId: other,
          ...base,
          limit,
          text: foldSearchText(term),
        });
        expect(found.rows.map((row) => row.number)).toEqual(expected.slice(0, limit));
        expect(found).toMatchObject({ total: expected.length, isTotalExact: true });
      }
    }
  });
});

describe('search in a company with more invoices than the newest ones walked first', () => {
  it('finds the same invoices, newest first, whether the walk fills the page or not', async () => {
    const large = (await registerUser(t.app)).companyId;
    // 2,600 invoices, two a day (ties on the date are broken by id); names and VAT numbers recur as customers' do.
    await t.database.execute(
      `INSERT INTO invoices (company_id, number, type, subtype, status, customer_name_en, customer_name_ar,
        customer_vat_number, issue_date, currency, subtotal, vat_amount, total_amount, payable_amount, snapshot)
       SELECT '${large}', 'INV-' || (2023 + g % 3) || '-' || lpad(g::text, 6, '0'), 'invoice', 'standard', 'issued',
        CASE WHEN g % 300 = 7 THEN 'Royal Pharma' ELSE
          (ARRAY['Gulf Steel', 'Oasis Paper', 'Falcon Foods', 'Desert Motors'])[1 + g % 4] || ' ' || (g % 7) END,
        (ARRAY['شركة الخليج', 'الواحة للورق', 'الصقر للأغذية', 'الصحراء'])[1 + g % 4],
        '3' || lpad((g % 97 * 7919)::text, 13, '0') || '3', date '2020-01-01' + g / 2, 'SAR', '1', '0', '1', '1', '{}'
       FROM generate_series(1, 2600) g`,
    );
    const { rows: newestFirst } = (await t.database.execute(
      `SELECT number, search_text FROM invoices WHERE company_id = $1 ORDER BY issue_date DESC, id DESC`,
      [large],
    )) as { rows: { number: string; search_text: string }[] };
    const terms = [
      // In every invoice: the walk fills the page and, walking on, reaches the count's cap.
      'inv-20',
      // In many of the newest invoices: the walk fills the page.
      'gulf steel',
      'الواحه',
      'oasis paper 3',
      // Spread thin (9 invoices, a few among the newest): the trigram query, or the walk for a short page.
      'royal pharma',
      // Older than the newest ones only: the trigram query.
      'INV-2023-000123',
      '000123',
      '31000',
      '0004',
      'nothing like it',
    ];
    for (const term of terms) {
      const expected = newestFirst
        .filter((row) => row.search_text.includes(foldSearchText(term).toLowerCase()))
        .map((row) => row.number);
      for (const [limit, offset] of [
        [5, 0],
        [20, 0],
        [20, 20],
        [50, 0],
      ] as const) {
        const found = await listInvoices(t.database.db, {
          companyId: large,
          ...base,
          limit,
          offset,
          text: foldSearchText(term),
        });
        expect(found.rows.map((row) => row.number)).toEqual(expected.slice(offset, offset + limit));
        expect(found).toMatchObject({
          total: Math.min(expected.length, SEARCH_COUNT_CAP),
          isTotalExact: expected.length <= SEARCH_COUNT_CAP,
        });
      }
    }
  });
});

describe('search for a text the trigram index cannot narrow, in a company with more invoices than it walks', () => {
  // SHORT_TEXT_WINDOW + 700 invoices, two a day; `Qz Labs` twice: among the newest and among the oldest.
  const count = SHORT_TEXT_WINDOW + 700;
  let large: string;
  beforeAll(async () => {
    large = (await registerUser(t.app)).companyId;
    await t.database.execute(
      `INSERT INTO invoices (company_id, number, type, subtype, status, customer_name_en, customer_name_ar,
        customer_vat_number, issue_date, currency, subtotal, vat_amount, total_amount, payable_amount, snapshot)
       SELECT '${large}', 'INV-' || (2023 + g % 3) || '-' || lpad(g::text, 6, '0'), 'invoice', 'standard', 'issued',
        CASE WHEN g IN (100, ${count - 10}) THEN 'Qz Labs'
          WHEN g > ${count - 3000} AND g % 4 = 1 THEN 'Nova Trading'
          ELSE (ARRAY['Gulf Steel', 'Oasis Paper', 'Falcon Foods', 'Desert Motors'])[1 + g % 4] || ' ' || (g % 7) END,
        (ARRAY['شركة الخليج', 'الواحة للورق', 'الصقر للأغذية', 'الصحراء'])[1 + g % 4],
        '3' || lpad((g % 97 * 7919)::text, 13, '0') || '3', date '2010-01-01' + g / 2, 'SAR', '1', '0',
        (g * 7919 % 500)::numeric, '1', '{}'
       FROM generate_series(1, ${count}) g`,
    );
  });

  /** The company's invoices in a list order, as the list without a search gives them. */
  async function listOrder(sort: SortKey, order: 'asc' | 'desc', dateFrom?: string) {
    const column = { issue_date: 'issue_date', number: 'number', total: 'total_amount' }[sort];
    const { rows } = (await t.database.execute(
      `SELECT number, search_text FROM invoices WHERE company_id = $1 ${dateFrom ? `AND issue_date >= '${dateFrom}'` : ''}
       ORDER BY ${column} ${order}, id ${order}`,
      [large],
    )) as { rows: { number: string; search_text: string }[] };
    return rows;
  }

  it('finds a recent match, and says the total is a lower bound: older invoices were not searched', async () => {
    const newest = await listInvoices(t.database.db, { companyId: large, ...base, text: 'qz' });
    expect(newest.rows.map((row) => row.number)).toEqual([
      `INV-${2023 + ((count - 10) % 3)}-00${count - 10}`,
    ]);
    expect(newest).toMatchObject({ total: 1, isTotalExact: false });
    // Oldest first, the other one is among the first invoices walked.
    const oldest = await listInvoices(t.database.db, { companyId: large, ...base, order: 'asc', text: 'qz' });
    expect(oldest.rows.map((row) => row.number)).toEqual(['INV-2024-000100']);
    expect(oldest).toMatchObject({ total: 1, isTotalExact: false });
    // In none of the walked invoices: no page, and "at least none".
    const none = await listInvoices(t.database.db, { companyId: large, ...base, text: 'zz' });
    expect(none).toMatchObject({ rows: [], total: 0, isTotalExact: false });
    // Filters that leave fewer invoices than the walk takes: all of them searched, the total exact.
    const recent = await listInvoices(t.database.db, {
      companyId: large,
      ...base,
      dateFrom: '2015-01-01',
      text: 'qz',
    });
    expect(recent).toMatchObject({ total: 1, isTotalExact: true });
    expect(
      (await listInvoices(t.database.db, { companyId: large, ...base, dateFrom: '2015-01-01', text: 'zz' }))
        .total,
    ).toBe(0);
  });

  it('gives the first matches in the order asked for, counted among the invoices walked', async () => {
    const cases: [SortKey, 'asc' | 'desc', string | undefined][] = [
      ['issue_date', 'desc', undefined],
      ['issue_date', 'asc', undefined],
      ['number', 'asc', undefined],
      ['number', 'desc', undefined],
      ['total', 'desc', undefined],
      ['total', 'asc', undefined],
      ['issue_date', 'desc', '2015-01-01'],
    ];
    for (const [sort, order, dateFrom] of cases) {
      const listed = await listOrder(sort, order, dateFrom);
      const walked = listed.slice(0, SHORT_TEXT_WINDOW);
      for (const text of ['qz', 'l 3', '7', 'صق', 's 3', '-0']) {
        const folded = foldSearchText(text);
        const expected = walked.filter((row) => row.search_text.includes(folded)).map((row) => row.number);
        for (const [limit, offset] of [
          [20, 0],
          [20, 40],
          [5, 1000],
        ] as const) {
          const found = await listInvoices(t.database.db, {
            companyId: large,
            ...base,
            sort,
            order,
            dateFrom,
            limit,
            offset,
            text: folded,
          });
          const countTo = Math.max(SEARCH_COUNT_CAP, offset + limit);
          expect(found.rows.map((row) => row.number)).toEqual(expected.slice(offset, offset + limit));
          expect(found).toMatchObject({
            total: Math.min(expected.length, countTo),
            isTotalExact: listed.length <= SHORT_TEXT_WINDOW && expected.length <= countTo,
          });
        }
      }
    }
  });

  it('counts a common text by walking on, a rarer one from the index: the same totals', async () => {
    const newestFirst = await listOrder('issue_date', 'desc');
    const terms = [
      // In one invoice in three: past the cap within the walk.
      'inv-2024',
      // In one of the newest invoices in four, and in none of the older: all of them counted by the walk.
      'nova trading',
      // One invoice in four or sixteen: past the cap, counted from the index.
      'falcon',
      'falcon foods 3',
      'الصقر',
    ];
    for (const term of terms) {
      const folded = foldSearchText(term);
      const expected = newestFirst.filter((row) => row.search_text.includes(folded)).map((row) => row.number);
      const found = await listInvoices(t.database.db, { companyId: large, ...base, limit: 20, text: folded });
      expect(found.rows.map((row) => row.number)).toEqual(expected.slice(0, 20));
      expect(found).toMatchObject({
        total: Math.min(expected.length, SEARCH_COUNT_CAP),
        isTotalExact: expected.length <= SEARCH_COUNT_CAP,
      });
    }
  });
});
