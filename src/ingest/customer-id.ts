/**
 * Stripe customer IDs: `cus_` followed by letters and digits. Checked before an ID names a
 * workflow or a database key, so a crafted value cannot reach either.
 */
const CUSTOMER_ID = /^cus_[A-Za-z0-9]{1,250}$/;

export function isCustomerId(value: unknown): value is string {
  return typeof value === 'string' && CUSTOMER_ID.test(value);
}
