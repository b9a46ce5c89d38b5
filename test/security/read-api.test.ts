/**
 * The read API's guard: the token is compared in constant time on equal-length digests, a
 * missing or wrong token gets 401, and the customer ID in the path is validated.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_TOKEN, type Harness, startHarness } from '../api/support/harness';

const BEARER_AUTH = join(__dirname, '..', '..', 'src', 'api', 'read', 'bearer-auth.ts');

describe('read API guard', () => {
  let h: Harness;
  const get = (path: string, authorization?: string) =>
    fetch(`${h.url}${path}`, { headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('compares the token with timingSafeEqual on SHA-256 digests of both sides', () => {
    const source = readFileSync(BEARER_AUTH, 'utf8');
    expect(source).toMatch(/import \{[^}]*timingSafeEqual[^}]*\} from 'node:crypto'/);
    expect(source).toMatch(/timingSafeEqual\(digest\(given\), expected\)/);
    expect(source).toMatch(/createHash\('sha256'\)/);
    // No early exit on content or length: no === on the token anywhere.
    expect(source).not.toMatch(/given\s*===|===\s*expected|\.length\s*!==/);
  });

  it.each([
    ['no Authorization header', undefined],
    ['an empty bearer', 'Bearer '],
    ['a wrong token', 'Bearer wrong-token-of-some-length-000000000'],
    ['a prefix of the token', `Bearer ${ADMIN_TOKEN.slice(0, -1)}`],
    ['the token plus one character', `Bearer ${ADMIN_TOKEN}x`],
    ['the token in another scheme', `Basic ${ADMIN_TOKEN}`],
    ['two tokens', `Bearer ${ADMIN_TOKEN} ${ADMIN_TOKEN}`],
  ])('answers 401 for %s', async (_name, authorization) => {
    for (const path of [
      '/api/subscription/customers/cus_Abc123',
      '/api/subscription/customers/cus_Abc123/events',
    ]) {
      const res = await get(path, authorization);
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain(ADMIN_TOKEN);
    }
  });

  it.each([
    'not-a-customer',
    'cus_',
    'cus_abc-def',
    'cus_%24gt',
    'cus_abc%00',
    '%7B%22%24ne%22%3A1%7D',
    `cus_${'a'.repeat(300)}`,
  ])('answers 400 for the customer ID %s', async (id) => {
    const res = await get(`/api/subscription/customers/${id}`, `Bearer ${ADMIN_TOKEN}`);
    expect(res.status).toBe(400);
  });

  it('answers 404, not 400, for a well-formed unknown customer', async () => {
    const res = await get('/api/subscription/customers/cus_Unknown123', `Bearer ${ADMIN_TOKEN}`);
    expect(res.status).toBe(404);
  });
});
