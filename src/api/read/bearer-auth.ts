/**
 * `Authorization: Bearer <ADMIN_API_TOKEN>` for the read API. Both sides are hashed to equal-length
 * digests before `timingSafeEqual`, so neither the content nor the length of the token leaks
 * through response timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { UnauthorizedError } from '../errors';

export function bearerAuth(expectedToken: string): RequestHandler {
  const expected = digest(expectedToken);
  return (req, _res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const given = match?.[1];
    next(
      given !== undefined && timingSafeEqual(digest(given), expected)
        ? undefined
        : new UnauthorizedError(),
    );
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
