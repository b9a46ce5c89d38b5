/**
 * Each drill prints one line of figures (events lost, doubled, e-mails doubled, ...) so that
 * docs/RELIABILITY.md can quote what a run actually observed.
 */
export function report(drill: string, figures: Record<string, unknown>): void {
  process.stdout.write(`[drill] ${drill}: ${JSON.stringify(figures)}\n`);
}
