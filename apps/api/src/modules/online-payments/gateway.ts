// One interface for online payment gateways; Stripe is the first adapter (stripe.ts). The service speaks only this.
import type { PaymentMethod } from '@invoiceflow/db/schema';

export interface GatewayCredentials {
  secret_key: string;
  webhook_secret: string;
}

export interface CheckoutRequest {
  /** Our id of the checkout: the idempotency key of its creation and the link back in the gateway's metadata. */
  checkoutId: string;
  companyId: string;
  invoiceId: string;
  invoiceNumber: string;
  amount: string;
  currency: string;
  customerEmail: string | null;
  successUrl: string;
  cancelUrl: string;
}

export interface CreatedCheckout {
  externalId: string;
  url: string;
  expiresAt: Date;
}

/** What an event is about; the service then reads the current state, so the order of events does not matter. */
export interface GatewayEvent {
  id: string;
  type: string;
  checkoutRef: string | null;
  paymentRef: string | null;
}

export interface CheckoutState {
  status: 'open' | 'complete' | 'expired';
  paymentRef: string | null;
}

export interface PaymentState {
  ref: string;
  /** Our ids, from the metadata we gave the gateway at checkout. */
  companyId: string | null;
  invoiceId: string | null;
  checkoutId: string | null;
  amount: string;
  currency: string;
  /** null: nothing happened yet that is a payment (the payer is still choosing or retrying). */
  status: 'pending' | 'completed' | 'failed' | null;
  /** The gateway's words on the last declined attempt. */
  failureMessage: string | null;
  method: PaymentMethod;
  refunded: string;
}

export interface PaymentGateway {
  /** A harmless call proving the key works; answers the account's display name, or the problem. */
  check(): Promise<{ ok: true; accountName: string | null } | { ok: false; problem: string }>;
  /** Whether the gateway can take this amount in this currency (its own minor-unit rules); null when it can. */
  amountProblem(amount: string, currency: string): string | null;
  createCheckout(request: CheckoutRequest): Promise<CreatedCheckout>;
  /** Verifies the signature over the raw body; throws when it does not hold. */
  verifyEvent(rawBody: Buffer, signature: string | undefined): GatewayEvent;
  readCheckout(ref: string): Promise<CheckoutState>;
  readPayment(ref: string): Promise<PaymentState>;
}
