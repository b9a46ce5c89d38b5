/**
 * A common peer design: an Express handler that verifies the signature and writes the event to
 * MongoDB inside the request (idempotent upsert by event ID), answering only after the write.
 * Env: PORT, STRIPE_WEBHOOK_SECRET, MONGODB_URI.
 */
import express from 'express';
import Stripe from 'stripe';
import { connectMongo } from '../src/db/connection';

async function main(): Promise<void> {
  const secret = process.env.STRIPE_WEBHOOK_SECRET ?? '';
  const db = await connectMongo(process.env.MONGODB_URI ?? '');
  const events = db.collection<{ _id: string }>('peer_events');
  const app = express();
  app.post('/webhook', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(
        req.body as Buffer,
        String(req.headers['stripe-signature'] ?? ''),
        secret,
      );
    } catch {
      res.status(400).end();
      return;
    }
    const object = event.data.object as unknown as Record<string, unknown>;
    await events.updateOne(
      { _id: event.id },
      {
        $setOnInsert: {
          type: event.type,
          customerId: typeof object.customer === 'string' ? object.customer : null,
          created: new Date(event.created * 1000),
          receivedAt: new Date(),
        },
      },
      { upsert: true },
    );
    res.json({ received: true, eventId: event.id });
  });
  app.listen(Number(process.env.PORT), '127.0.0.1');
}

main().catch((error: unknown) => {
  process.stderr.write(`peer server failed: ${String(error)}\n`);
  process.exit(1);
});
