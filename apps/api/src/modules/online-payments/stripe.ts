// The Stripe adapter: Checkout Sessions for the pay link, PaymentIntents (with their latest charge) as the truth
// about money, and Stripe's webhook signature scheme, all through the official SDK.
import { fromMinorUnits, toMinorUnits } from '@invoiceflow/totals';
import Stripe from 'stripe';
import type {
  CheckoutRequest,
  CheckoutState,
  CreatedCheckout,
  GatewayCredentials,
  GatewayEvent,
  PaymentGateway,
  PaymentState,
} from './gateway';

/** Three-decimal currencies Stripe takes only in multiples of ten minor units (stripe.com/docs/currencies). */
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

export interface StripeOptions {
  apiUrl: string;
  timeoutMs: number;
}

function clientOf(credentials: GatewayCredentials, options: StripeOptions): Stripe {
  const url = new URL(options.apiUrl);
  return new Stripe(credentials.secret_key, {
    host: url.hostname,
    port: url.port || (url.protocol === 'http:' ? 80 : 443),
    protocol: url.protocol === 'http:' ? 'http' : 'https',
    timeout: options.timeoutMs,
    maxNetworkRetries: 2,
    telemetry: false,
    appInfo: { name: 'InvoiceFlow' },
  });
}

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  value == null ? null : typeof value === 'string' ? value : value.id;

function methodOf(type: string | undefined): PaymentState['method'] {
  if (type === 'card' || type === 'ideal') return type;
  if (type === 'sepa_debit' || type === 'us_bank_account' || type === 'bacs_debit') return 'bank_transfer';
  return 'other';
}

export function stripeGateway(credentials: GatewayCredentials, options: StripeOptions): PaymentGateway {
  const stripe = clientOf(credentials, options);
  const minor = (amount: string, currency: string) => toMinorUnits(amount, currency) as number;
  const major = (units: number, currency: string) => fromMinorUnits(units, currency);

  return {
    async check() {
      try {
        const account = await stripe.accounts.retrieveCurrent();
        return {
          ok: true,
          accountName: account.settings?.dashboard?.display_name ?? account.business_profile?.name ?? null,
        };
      } catch (error) {
        return { ok: false, problem: error instanceof Error ? error.message : 'The gateway did not answer.' };
      }
    },

    amountProblem(amount, currency) {
      const code = currency.toUpperCase();
      const units = toMinorUnits(amount, code);
      if (units === null || units < 1) return 'The amount is too small or too large for the gateway.';
      if (THREE_DECIMAL.has(code) && units % 10 !== 0) {
        return `Stripe takes ${code} amounts in steps of 0.010 only.`;
      }
      return null;
    },

    async createCheckout(request: CheckoutRequest): Promise<CreatedCheckout> {
      const metadata = {
        invoiceflow_company_id: request.companyId,
        invoiceflow_invoice_id: request.invoiceId,
        invoiceflow_checkout_id: request.checkoutId,
      };
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          client_reference_id: request.invoiceId,
          ...(request.customerEmail ? { customer_email: request.customerEmail } : {}),
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: request.currency.toLowerCase(),
                unit_amount: minor(request.amount, request.currency),
                product_data: { name: `Invoice ${request.invoiceNumber}` },
              },
            },
          ],
          metadata,
          payment_intent_data: { metadata, description: `Invoice ${request.invoiceNumber}` },
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
        },
        { idempotencyKey: `invoiceflow-checkout-${request.checkoutId}` },
      );
      if (!session.url) throw new Error('Stripe answered a checkout session without a URL');
      return { externalId: session.id, url: session.url, expiresAt: new Date(session.expires_at * 1000) };
    },

    verifyEvent(rawBody, signature): GatewayEvent {
      if (!signature) throw new Error('No Stripe-Signature header');
      const event = stripe.webhooks.constructEvent(rawBody, signature, credentials.webhook_secret);
      const object = event.data.object as unknown as {
        id: string;
        object: string;
        payment_intent?: string | { id: string } | null;
      };
      const checkoutRef = object.object === 'checkout.session' ? object.id : null;
      const paymentRef = object.object === 'payment_intent' ? object.id : idOf(object.payment_intent);
      return { id: event.id, type: event.type, checkoutRef, paymentRef };
    },

    async readCheckout(ref): Promise<CheckoutState> {
      const session = await stripe.checkout.sessions.retrieve(ref);
      const status: CheckoutState['status'] =
        session.status === 'complete' ? 'complete' : session.status === 'expired' ? 'expired' : 'open';
      return { status, paymentRef: idOf(session.payment_intent) };
    },

    async readPayment(ref): Promise<PaymentState> {
      const intent = await stripe.paymentIntents.retrieve(ref, { expand: ['latest_charge'] });
      const currency = intent.currency.toUpperCase();
      const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
      const status =
        intent.status === 'succeeded'
          ? 'completed'
          : intent.status === 'processing'
            ? 'pending'
            : intent.status === 'canceled'
              ? 'failed'
              : intent.status === 'requires_payment_method' && charge?.status === 'failed'
                ? 'failed'
                : null;
      return {
        ref: intent.id,
        companyId: intent.metadata.invoiceflow_company_id ?? null,
        invoiceId: intent.metadata.invoiceflow_invoice_id ?? null,
        checkoutId: intent.metadata.invoiceflow_checkout_id ?? null,
        amount: major(intent.status === 'succeeded' ? intent.amount_received : intent.amount, currency),
        currency,
        status,
        failureMessage: intent.last_payment_error?.message ?? charge?.failure_message ?? null,
        method: methodOf(charge?.payment_method_details?.type ?? intent.payment_method_types[0]),
        refunded: major(charge?.amount_refunded ?? 0, currency),
      };
    },
  };
}
