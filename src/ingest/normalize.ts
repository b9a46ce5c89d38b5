/**
 * Stripe event -> NormalizedEvent. Shared by the webhook, reconciliation and the CLIs, so a
 * payload is read the same way whichever path it took.
 */
import { z } from 'zod';
import {
  isHandledEventType,
  type CheckoutCompletedEvent,
  type EventSource,
  type InvoiceEvent,
  type NormalizedEvent,
  type SubscriptionChangedEvent,
} from '../domain/stripe-events';
import { isCustomerId } from './customer-id';
import { InvalidEventError, MalformedCustomerIdError } from './errors';
import {
  checkoutSessionSchema,
  eventEnvelopeSchema,
  expandableId,
  idOf,
  invoiceSchema,
  previousStatusSchema,
  subscriptionSchema,
  type StripeEventEnvelope,
} from './stripe-schemas';

/** Why a valid event is acknowledged but not sent to a workflow. */
export type IgnoreReason = 'unhandled_type' | 'no_customer';

export type NormalizeResult =
  | { kind: 'event'; event: NormalizedEvent }
  | { kind: 'ignored'; reason: IgnoreReason; eventId: string; type: string };

/**
 * Reads a parsed Stripe event. Returns the normalized event, or why it is ignored.
 *
 * @throws InvalidEventError when the body is not an event or lacks a field the workflow needs.
 * @throws MalformedCustomerIdError when `data.object.customer` is not a `cus_...` ID.
 */
export function normalizeStripeEvent(
  raw: unknown,
  source: EventSource = 'webhook',
): NormalizeResult {
  const envelope = parse(eventEnvelopeSchema, raw, '');
  const { id: eventId, type } = envelope;
  if (!isHandledEventType(type))
    return { kind: 'ignored', reason: 'unhandled_type', eventId, type };

  const customerId = customerOf(envelope.data.object);
  if (customerId === null) return { kind: 'ignored', reason: 'no_customer', eventId, type };

  const base = {
    id: eventId,
    created: envelope.created,
    apiVersion: envelope.api_version ?? null,
    livemode: envelope.livemode ?? false,
    customerId,
    source,
  };
  switch (type) {
    case 'checkout.session.completed':
      return { kind: 'event', event: checkoutEvent(base, envelope) };
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      return {
        kind: 'event',
        event: subscriptionEvent({ ...base, type }, envelope),
      };
    case 'invoice.payment_succeeded':
    case 'invoice.payment_failed':
      return {
        kind: 'event',
        event: invoiceEvent({ ...base, type }, envelope),
      };
  }
}

/** The fields every normalized event shares. */
type Envelope = Pick<
  CheckoutCompletedEvent,
  'id' | 'created' | 'apiVersion' | 'livemode' | 'customerId' | 'source'
>;

/** `data.object.customer`: absent or null for a guest checkout, an ID, or an expanded customer. */
function customerOf(object: Record<string, unknown>): string | null {
  const ref = object.customer;
  if (ref === undefined || ref === null) return null;
  const parsed = expandableId.safeParse(ref);
  const id = parsed.success ? idOf(parsed.data) : null;
  if (!isCustomerId(id)) throw new MalformedCustomerIdError();
  return id;
}

function checkoutEvent(base: Envelope, envelope: StripeEventEnvelope): CheckoutCompletedEvent {
  const session = parse(checkoutSessionSchema, envelope.data.object, 'data.object');
  const metadataAccount = session.metadata?.account_id;
  return {
    ...base,
    type: 'checkout.session.completed',
    sessionId: session.id,
    mode: session.mode,
    subscriptionId: idOf(session.subscription),
    accountId:
      session.client_reference_id ??
      (typeof metadataAccount === 'string' && metadataAccount !== '' ? metadataAccount : null),
  };
}

function subscriptionEvent(
  base: Envelope & { type: SubscriptionChangedEvent['type'] },
  envelope: StripeEventEnvelope,
): SubscriptionChangedEvent {
  const sub = parse(subscriptionSchema, envelope.data.object, 'data.object');
  const item = sub.items?.data[0];
  const previous = previousStatusSchema.safeParse(envelope.data.previous_attributes ?? {});
  return {
    ...base,
    subscription: {
      id: sub.id,
      status: sub.status,
      priceId: item?.price?.id ?? null,
      productId: idOf(item?.price?.product),
      planInterval: item?.price?.recurring?.interval ?? null,
      // Newer API versions carry the period on the item; older ones at the top level.
      currentPeriodEnd: item?.current_period_end ?? sub.current_period_end ?? null,
      cancelAtPeriodEnd: sub.cancel_at_period_end ?? false,
      canceledAt: sub.canceled_at ?? null,
    },
    previousStatus: previous.success ? previous.data.status : null,
  };
}

function invoiceEvent(
  base: Envelope & { type: InvoiceEvent['type'] },
  envelope: StripeEventEnvelope,
): InvoiceEvent {
  const invoice = parse(invoiceSchema, envelope.data.object, 'data.object');
  return {
    ...base,
    invoice: {
      id: invoice.id,
      // Newer API versions moved the subscription under parent.subscription_details.
      subscriptionId:
        idOf(invoice.parent?.subscription_details?.subscription) ?? idOf(invoice.subscription),
      attemptCount: invoice.attempt_count,
      nextPaymentAttempt: invoice.next_payment_attempt ?? null,
      hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
      amountDue: invoice.amount_due,
      currency: invoice.currency,
    },
  };
}

function parse<T extends z.ZodType>(schema: T, value: unknown, prefix: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidEventError(
    result.error.issues.slice(0, 5).map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
      return `${path || 'body'}: ${issue.code}`;
    }),
  );
}
