/**
 * Runs in every Jest worker before its test files: gives the worker a time-skipping server of
 * its own, because skipping time on a shared server would fire another file's timers early.
 */
import { STACK_ENV } from './stack-env';

/** Comma-separated addresses of the time-skipping servers, one per Jest worker. */
export const TIME_SKIPPING_ADDRESSES_ENV = 'TEST_TIME_SKIPPING_ADDRESSES';

const addresses = (process.env[TIME_SKIPPING_ADDRESSES_ENV] ?? '').split(',').filter(Boolean);
const worker = Number(process.env.JEST_WORKER_ID ?? '1');
const mine = addresses[(worker - 1) % Math.max(addresses.length, 1)];
if (mine) process.env[STACK_ENV.timeSkippingAddress] = mine;
