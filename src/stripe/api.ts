/**
 * The part of the Stripe client the activities use. The real `Stripe` instance satisfies it;
 * unit tests pass a small fake at this boundary instead of mocking the module.
 */
import type Stripe from 'stripe';
import type { SubscriptionLike } from './subscription-snapshot';

export interface StripeApi {
  customers: {
    // `deleted` is typed `void` on a live customer and `true` on a deleted one.
    retrieve(id: string): Promise<{ id: string; deleted?: unknown; email?: string | null }>;
  };
  subscriptions: {
    retrieve(id: string): Promise<SubscriptionLike>;
    cancel(
      id: string,
      params: Stripe.SubscriptionCancelParams,
      options: Stripe.RequestOptions,
    ): Promise<{ id: string; status: Stripe.Subscription.Status }>;
  };
  invoices: {
    retrieve(id: string): Promise<{ id?: string; status: Stripe.Invoice.Status | null }>;
    pay(
      id: string,
      params: Stripe.InvoicePayParams,
      options: Stripe.RequestOptions,
    ): Promise<{ id?: string; status: Stripe.Invoice.Status | null }>;
  };
}
