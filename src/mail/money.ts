/**
 * Formats an amount in a currency's minor unit (Stripe's `amount_due`, in cents for USD) for
 * humans. The number of decimals comes from the currency itself, so zero-decimal currencies
 * such as JPY are not divided by 100.
 */
export function formatMinorUnits(amount: number, currency: string, locale = 'en-US'): string {
  const code = currency.toUpperCase();
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency: code });
  } catch {
    // An unknown code still gets a readable line instead of failing the whole notification.
    return `${(amount / 100).toFixed(2)} ${code}`;
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}
