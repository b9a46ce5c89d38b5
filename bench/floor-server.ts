/**
 * The floor: the least any Stripe endpoint must do. Reads the body, verifies the signature with
 * Stripe's own constructEvent, answers 200. Plain node:http, no framework.
 * Env: PORT, STRIPE_WEBHOOK_SECRET.
 */
import { createServer } from 'node:http';
import Stripe from 'stripe';

const secret = process.env.STRIPE_WEBHOOK_SECRET ?? '';
const port = Number(process.env.PORT);

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    try {
      const event = Stripe.webhooks.constructEvent(
        Buffer.concat(chunks),
        String(req.headers['stripe-signature'] ?? ''),
        secret,
      );
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ received: true, eventId: event.id }));
    } catch {
      res.writeHead(400).end();
    }
  });
}).listen(port, '127.0.0.1');
