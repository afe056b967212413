// A Stripe-shaped API on 127.0.0.1 for the calls InvoiceFlow makes through the official SDK: GET /v1/account,
// POST /v1/checkout/sessions (form-encoded, Idempotency-Key honoured), GET /v1/checkout/sessions/{id},
// GET /v1/payment_intents/{id} (expand[]=latest_charge). Bearer key checked (401 with Stripe's error object).
// The test plays the payer through `pay`, `settle`, `refund` and `expire`, which change the objects as Stripe does
// and answer the events Stripe would send; `signed` signs one with Stripe's scheme (t=…,v1=HMAC-SHA256 of "t.body").
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;
export interface StripeEvent {
  id: string;
  type: string;
  body: string;
}

export interface FakeStripe {
  url: string;
  secretKey: string;
  webhookSecret: string;
  /** Checkout sessions created (a repeated Idempotency-Key does not make another). */
  sessions: Map<string, Json>;
  intents: Map<string, Json>;
  pay(
    sessionId: string,
    how: { method?: string; outcome?: 'succeeded' | 'processing' | 'declined' },
  ): StripeEvent[];
  settle(intentId: string, outcome: 'succeeded' | 'failed'): StripeEvent[];
  refund(intentId: string, minorUnits: number): StripeEvent[];
  expire(sessionId: string): StripeEvent[];
  signed(
    event: StripeEvent,
    options?: { secret?: string; timestamp?: number },
  ): {
    payload: string;
    headers: Record<string, string>;
  };
  close(): Promise<void>;
}

const newId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;

/** `a[b][0][c]=v` form fields as nested objects (indices become object keys, read back in order). */
function parseForm(text: string): Json {
  const root: Json = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = root;
    for (const [i, part] of path.entries()) {
      if (i === path.length - 1) node[part] = value;
      else {
        node[part] ??= {};
        node = node[part] as Json;
      }
    }
  }
  return root;
}
const listOf = (value: unknown): Json[] => Object.values((value ?? {}) as Record<string, Json>);

export async function startFakeStripe(): Promise<FakeStripe> {
  const secretKey = `sk_test_${randomBytes(16).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(24)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'x')}`;
  const sessions = new Map<string, Json>();
  const intents = new Map<string, Json>();
  const charges = new Map<string, Json>();
  const idempotent = new Map<string, string>();
  const now = () => Math.floor(Date.now() / 1000);

  const event = (type: string, object: Json): StripeEvent => {
    const id = newId('evt');
    const body = JSON.stringify({
      id,
      object: 'event',
      api_version: '2025-01-27',
      created: now(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: structuredClone(object) },
    });
    return { id, type, body };
  };

  function intentView(intent: Json, expand: string[]): Json {
    const view = structuredClone(intent);
    if (expand.includes('latest_charge') && typeof intent.latest_charge === 'string') {
      view.latest_charge = structuredClone(charges.get(intent.latest_charge) ?? null);
    }
    return view;
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json', 'request-id': newId('req') });
        response.end(JSON.stringify(body));
      };
      const error = (status: number, message: string, type = 'invalid_request_error') =>
        send(status, { error: { type, message } });
      if (request.headers.authorization !== `Bearer ${secretKey}`) {
        return error(401, 'Invalid API Key provided: sk_test_****');
      }
      const form = parseForm(
        request.method === 'GET' ? url.search.slice(1) : Buffer.concat(chunks).toString(),
      );
      const expand = listOf(form.expand).map(String);
      const path = url.pathname;

      if (request.method === 'GET' && path === '/v1/account') {
        return send(200, {
          id: 'acct_test_1',
          object: 'account',
          business_profile: { name: 'Atelier Test' },
          settings: { dashboard: { display_name: 'Atelier Test' } },
        });
      }
      if (request.method === 'POST' && path === '/v1/checkout/sessions') {
        const key = request.headers['idempotency-key'];
        const seen = typeof key === 'string' ? idempotent.get(key) : undefined;
        if (seen) return send(200, JSON.parse(seen));
        const item = listOf(form.line_items)[0] ?? {};
        const price = (item.price_data ?? {}) as Json;
        const amount = Number(price.unit_amount) * Number(item.quantity ?? 1);
        if (!Number.isInteger(amount) || amount < 1) return error(400, 'Invalid integer: unit_amount');
        const id = newId('cs');
        const session: Json = {
          id,
          object: 'checkout.session',
          mode: form.mode,
          status: 'open',
          payment_status: 'unpaid',
          amount_total: amount,
          currency: price.currency,
          client_reference_id: form.client_reference_id ?? null,
          customer_email: form.customer_email ?? null,
          metadata: form.metadata ?? {},
          payment_intent: null,
          success_url: form.success_url,
          cancel_url: form.cancel_url,
          expires_at: now() + 24 * 3600,
          url: `${fake.url}/c/pay/${id}`,
          payment_intent_data: form.payment_intent_data ?? {},
        };
        sessions.set(id, session);
        const { payment_intent_data: _, ...answer } = session;
        if (typeof key === 'string') idempotent.set(key, JSON.stringify(answer));
        return send(200, answer);
      }
      const sessionId = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path)?.[1];
      if (request.method === 'GET' && sessionId) {
        const session = sessions.get(sessionId);
        if (!session) return error(404, `No such checkout.session: '${sessionId}'`);
        const { payment_intent_data: _, ...answer } = session;
        return send(200, answer);
      }
      const intentId = /^\/v1\/payment_intents\/([^/]+)$/.exec(path)?.[1];
      if (request.method === 'GET' && intentId) {
        const intent = intents.get(intentId);
        if (!intent) return error(404, `No such payment_intent: '${intentId}'`);
        return send(200, intentView(intent, expand));
      }
      return error(404, `Unrecognized request URL (${request.method}: ${path})`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const fake: FakeStripe = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    secretKey,
    webhookSecret,
    sessions,
    intents,

    pay(sessionId, { method = 'card', outcome = 'succeeded' }) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no session ${sessionId}`);
      const amount = session.amount_total as number;
      let intent =
        typeof session.payment_intent === 'string' ? intents.get(session.payment_intent) : undefined;
      if (!intent) {
        intent = {
          id: newId('pi'),
          object: 'payment_intent',
          amount,
          amount_received: 0,
          currency: session.currency,
          status: 'requires_payment_method',
          metadata: ((session.payment_intent_data as Json).metadata as Json) ?? {},
          payment_method_types: [method],
          latest_charge: null,
          last_payment_error: null,
        };
        intents.set(intent.id as string, intent);
        session.payment_intent = intent.id;
      }
      const charge: Json = {
        id: newId('ch'),
        object: 'charge',
        amount,
        amount_refunded: 0,
        currency: session.currency,
        payment_intent: intent.id,
        payment_method_details: { type: method },
        status: outcome === 'succeeded' ? 'succeeded' : outcome === 'processing' ? 'pending' : 'failed',
        failure_message: outcome === 'declined' ? 'Your card was declined.' : null,
        refunded: false,
      };
      charges.set(charge.id as string, charge);
      intent.latest_charge = charge.id;
      if (outcome === 'declined') {
        intent.status = 'requires_payment_method';
        intent.last_payment_error = { code: 'card_declined', message: 'Your card was declined.' };
        return [event('payment_intent.payment_failed', intent), event('charge.failed', charge)];
      }
      intent.last_payment_error = null;
      intent.status = outcome === 'succeeded' ? 'succeeded' : 'processing';
      intent.amount_received = outcome === 'succeeded' ? amount : 0;
      session.status = 'complete';
      session.payment_status = outcome === 'succeeded' ? 'paid' : 'unpaid';
      const { payment_intent_data: _, ...sessionView } = session;
      return outcome === 'succeeded'
        ? [
            event('checkout.session.completed', sessionView),
            event('payment_intent.succeeded', intent),
            event('charge.succeeded', charge),
          ]
        : [event('checkout.session.completed', sessionView), event('payment_intent.processing', intent)];
    },

    settle(intentId, outcome) {
      const intent = intents.get(intentId);
      if (!intent) throw new Error(`no intent ${intentId}`);
      const charge = charges.get(intent.latest_charge as string) as Json;
      const session = [...sessions.values()].find((s) => s.payment_intent === intentId) as Json;
      if (outcome === 'succeeded') {
        intent.status = 'succeeded';
        intent.amount_received = intent.amount;
        charge.status = 'succeeded';
        session.payment_status = 'paid';
      } else {
        intent.status = 'requires_payment_method';
        intent.last_payment_error = { code: 'payment_failed', message: 'The bank refused the debit.' };
        charge.status = 'failed';
        charge.failure_message = 'The bank refused the debit.';
      }
      const { payment_intent_data: _, ...sessionView } = session;
      return [
        event(
          `checkout.session.async_payment_${outcome === 'succeeded' ? 'succeeded' : 'failed'}`,
          sessionView,
        ),
      ];
    },

    refund(intentId, minorUnits) {
      const intent = intents.get(intentId);
      if (!intent) throw new Error(`no intent ${intentId}`);
      const charge = charges.get(intent.latest_charge as string) as Json;
      charge.amount_refunded = (charge.amount_refunded as number) + minorUnits;
      charge.refunded = charge.amount_refunded === charge.amount;
      const refund = {
        id: newId('re'),
        object: 'refund',
        amount: minorUnits,
        charge: charge.id,
        payment_intent: intentId,
        status: 'succeeded',
        currency: charge.currency,
      };
      return [event('charge.refunded', charge), event('refund.created', refund)];
    },

    expire(sessionId) {
      const session = sessions.get(sessionId) as Json;
      session.status = 'expired';
      const { payment_intent_data: _, ...sessionView } = session;
      return [event('checkout.session.expired', sessionView)];
    },

    signed(evt, { secret = webhookSecret, timestamp = now() } = {}) {
      const signature = createHmac('sha256', secret).update(`${timestamp}.${evt.body}`).digest('hex');
      return {
        payload: evt.body,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': `t=${timestamp},v1=${signature}`,
        },
      };
    },

    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return fake;
}
