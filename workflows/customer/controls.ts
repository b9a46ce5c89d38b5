/**
 * Argument checks of the billing-team controls. They run in the updates' validators, so a bad
 * argument is rejected before anything is written to history; each message names the argument.
 */
import { InvalidDurationError, parseDuration } from '../../src/config/durations';
import type { ControlArgs, ExtendGraceArgs } from '../definitions';
import type { CustomerState, DunningCase } from './state';
import { controlledCase } from './view';

export class InvalidControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidControlError';
  }
}

export function checkControlArgs(args: ControlArgs | undefined, state: CustomerState): DunningCase {
  if (typeof args !== 'object' || args === null) {
    throw new InvalidControlError('arguments are missing: pass { reason, operator? }.');
  }
  if (typeof args.reason !== 'string' || args.reason.trim() === '') {
    throw new InvalidControlError('reason is required: say why you act, e.g. "called support".');
  }
  if (args.operator !== undefined && typeof args.operator !== 'string') {
    throw new InvalidControlError('operator must be a string (a username or e-mail) when given.');
  }
  const open = controlledCase(state);
  if (!open) {
    throw new InvalidControlError(
      `customer ${state.customerId} has no open dunning case; there is nothing to act on.`,
    );
  }
  return open;
}

/** Returns the extension in ms. */
export function checkExtendGraceArgs(
  args: ExtendGraceArgs | undefined,
  state: CustomerState,
): number {
  checkControlArgs(args, state);
  const by = (args as ExtendGraceArgs).by;
  let ms: number;
  try {
    ms = parseDuration(String(by));
  } catch (error) {
    if (error instanceof InvalidDurationError) {
      throw new InvalidControlError(
        `by "${String(by)}" is not a duration; write it like "3 days".`,
      );
    }
    throw error;
  }
  if (ms <= 0) throw new InvalidControlError(`by must be longer than zero, got "${String(by)}".`);
  return ms;
}
