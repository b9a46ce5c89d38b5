/**
 * The parts of Stripe's payloads that this service reads, as zod schemas. Everything else in a
 * payload is dropped, which is how personal data stays out of workflow histories.
 *
 * Both API-version shapes are accepted: newer versions (2025-03-31 and later) moved the current
 * period onto subscription items and an invoice's subscription under `parent.subscription_details`.
 */
import { z } from 'zod';
import { SUBSCRIPTION_STATUSES } from '../domain/stripe-events';

/** A reference Stripe renders either as an ID or, when expanded, as the object with its `id`. */
export const expandableId = z.union([z.string(), z.looseObject({ id: z.string() })]);

export function idOf(ref: z.infer<typeof expandableId> | null | undefined): string | null {
  if (ref === null || ref === undefined) return null;
  return typeof ref === 'string' ? ref : ref.id;
}

/** The envelope every event shares; `data.object` is checked per type afterwards. */
export const eventEnvelopeSchema = z.object({
  id: z.string().min(1),
  object: z.literal('event'),
  type: z.string().min(1),
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
  id: z.string().min(1),
  mode: z.enum(['payment', 'setup', 'subscription']),
  subscription: expandableId.nullish(),
  client_reference_id: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

const priceSchema = z.object({
  id: z.string(),
  product: expandableId.nullish(),
  recurring: z.object({ interval: z.string() }).nullish(),
});

export const subscriptionSchema = z.object({
  id: z.string().min(1),
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
  id: z.string().min(1),
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
  hosted_invoice_url: z.string().nullish(),
  amount_due: z.number().int(),
  currency: z.string().min(1),
});

export const previousStatusSchema = z.object({
  status: z.enum(SUBSCRIPTION_STATUSES),
});
