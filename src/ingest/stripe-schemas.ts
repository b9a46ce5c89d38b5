/**
 * The parts of Stripe's payloads that this service reads, as zod schemas. Everything else in a
 * payload is dropped, which is how personal data stays out of workflow histories.
 *
 * Both API-version shapes are accepted: newer versions (2025-03-31 and later) moved the current
 * period onto subscription items and an invoice's subscription under `parent.subscription_details`.
 */
import { z } from 'zod';
import { SUBSCRIPTION_STATUSES } from '../domain/stripe-events';

/**
 * Stripe object IDs are short (a prefix and at most a few dozen characters). The bound keeps a
 * hostile but correctly signed payload from putting megabytes into a workflow history.
 */
function stripeId() {
  return z.string().min(1).max(255);
}

/** Stripe's event IDs: `evt_` and letters, digits or underscores (test events use them). */
const eventId = z
  .string()
  .max(255)
  .regex(/^evt_[A-Za-z0-9_]+$/, 'an event ID looks like evt_ followed by letters and digits');

/** A reference Stripe renders either as an ID or, when expanded, as the object with its `id`. */
export const expandableId = z.union([stripeId(), z.looseObject({ id: stripeId() })]);

export function idOf(ref: z.infer<typeof expandableId> | null | undefined): string | null {
  if (ref === null || ref === undefined) return null;
  return typeof ref === 'string' ? ref : ref.id;
}

/** The envelope every event shares; `data.object` is checked per type afterwards. */
export const eventEnvelopeSchema = z.object({
  id: eventId,
  object: z.literal('event'),
  type: z.string().min(1).max(255),
  created: z.number().int().nonnegative(),
  api_version: z.string().nullish(),
  livemode: z.boolean().optional(),
  data: z.object({
    object: z.record(z.string(), z.unknown()),
    previous_attributes: z.record(z.string(), z.unknown()).nullish(),
  }),
});

export type StripeEventEnvelope = z.infer<typeof eventEnvelopeSchema>;

const unixSeconds = z.number().int().nonnegative();

export const checkoutSessionSchema = z.object({
  id: stripeId(),
  mode: z.enum(['payment', 'setup', 'subscription']),
  subscription: expandableId.nullish(),
  client_reference_id: z.string().max(255).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

const priceSchema = z.object({
  id: stripeId(),
  product: expandableId.nullish(),
  recurring: z.object({ interval: z.string() }).nullish(),
});

export const subscriptionSchema = z.object({
  id: stripeId(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  cancel_at_period_end: z.boolean().optional(),
  canceled_at: unixSeconds.nullish(),
  /** Older API versions only. */
  current_period_end: unixSeconds.nullish(),
  items: z
    .object({
      data: z.array(
        z.object({
          /** Newer API versions only. */
          current_period_end: unixSeconds.nullish(),
          price: priceSchema.nullish(),
        }),
      ),
    })
    .nullish(),
});

export const invoiceSchema = z.object({
  id: stripeId(),
  /** Older API versions only. */
  subscription: expandableId.nullish(),
  /** Newer API versions only. */
  parent: z
    .object({
      subscription_details: z.object({ subscription: expandableId.nullish() }).nullish(),
    })
    .nullish(),
  attempt_count: z.number().int().nonnegative(),
  next_payment_attempt: unixSeconds.nullish(),
  hosted_invoice_url: z.string().max(2048).nullish(),
  amount_due: z.number().int(),
  currency: z.string().min(3).max(8),
});

export const previousStatusSchema = z.object({
  status: z.enum(SUBSCRIPTION_STATUSES),
});
