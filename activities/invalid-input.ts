/**
 * Input checks for activities. A bad argument is a bug in the caller that no retry can fix, so
 * it fails the activity for good with a message that names the problem.
 */
import { ApplicationFailure } from '@temporalio/common';

export const INVALID_INPUT_ERROR = 'InvalidInputError';

const CUSTOMER_ID = /^cus_[A-Za-z0-9]+$/;
const SUBSCRIPTION_ID = /^sub_[A-Za-z0-9]+$/;
const INVOICE_ID = /^in_[A-Za-z0-9]+$/;

export function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, INVALID_INPUT_ERROR);
}

export function requireCustomerId(value: unknown, field = 'customerId'): string {
  if (typeof value !== 'string' || !CUSTOMER_ID.test(value)) {
    throw invalidInput(
      `${field} must be a Stripe customer ID like cus_123, got ${describe(value)}.`,
    );
  }
  return value;
}

export function requireSubscriptionId(value: unknown): string {
  if (typeof value !== 'string' || !SUBSCRIPTION_ID.test(value)) {
    throw invalidInput(`subscriptionId must look like sub_123, got ${describe(value)}.`);
  }
  return value;
}

export function requireInvoiceId(value: unknown): string {
  if (typeof value !== 'string' || !INVOICE_ID.test(value)) {
    throw invalidInput(`invoiceId must look like in_123, got ${describe(value)}.`);
  }
  return value;
}

export function requireText(value: unknown, field: string, maxLength = 500): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength) {
    throw invalidInput(`${field} must be a non-empty string of at most ${maxLength} characters.`);
  }
  return value;
}

export function requireNumber(value: unknown, field: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw invalidInput(`${field} must be a number >= ${min}, got ${describe(value)}.`);
  }
  return value;
}

/** An ISO date string (or null where allowed) converted to a Date. */
export function requireIsoDate(value: unknown, field: string): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw invalidInput(`${field} must be an ISO date string, got ${describe(value)}.`);
  }
  return date;
}

export function optionalIsoDate(value: unknown, field: string): Date | null {
  return value === null || value === undefined ? null : requireIsoDate(value, field);
}

/** Names a bad value's type and a short, safe preview; never a whole payload. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (value === null) return 'null';
  return typeof value === 'number' ? String(value) : typeof value;
}
