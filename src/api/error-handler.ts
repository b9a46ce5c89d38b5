/**
 * The one place errors become responses. Known errors answer their status with a fixed message;
 * anything else answers a generic 500, and its details go to the log, never to the caller.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logging/logger';
import { HttpError, NotFoundError, ServiceUnavailableError } from './errors';

/** What body-parser throws for a body over the limit, a bad encoding or an aborted upload. */
interface BodyParserError {
  status: number;
  type: string;
  expose: boolean;
}

export function notFoundHandler(): RequestHandler {
  return (_req, _res, next) => next(new NotFoundError('not_found', 'No such route.'));
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof HttpError) {
      if (err instanceof ServiceUnavailableError) {
        res.setHeader('Retry-After', String(err.retryAfterSeconds));
        logger.warn({ cause: describe(err.cause), path: req.path }, 'dependency unavailable');
      }
      res.status(err.status).json({ error: err.code, ...err.body(), message: err.message });
      return;
    }
    if (isBodyParserError(err)) {
      res.status(err.status).json({ error: bodyParserCode(err), message: bodyParserMessage(err) });
      return;
    }
    logger.error({ err, path: req.path, method: req.method }, 'request failed');
    res.status(500).json({
      error: 'internal_error',
      message: 'Internal error; see the server log.',
    });
  };
}

function isBodyParserError(err: unknown): err is BodyParserError {
  if (typeof err !== 'object' || err === null) return false;
  const { status, type, expose } = err as Partial<BodyParserError>;
  return (
    typeof status === 'number' &&
    status >= 400 &&
    status < 500 &&
    typeof type === 'string' &&
    expose === true
  );
}

function bodyParserCode(err: BodyParserError): string {
  if (err.status === 413) return 'payload_too_large';
  if (err.status === 415) return 'unsupported_media_type';
  return 'bad_request';
}

function bodyParserMessage(err: BodyParserError): string {
  if (err.status === 413) return 'The body is larger than 1 MiB.';
  if (err.status === 415) return 'Unsupported content encoding or charset.';
  return 'The request body could not be read.';
}

/** Name and message only: a dependency's full error object can run to kilobytes per request. */
function describe(cause: unknown): { name: string; message: string } | undefined {
  return cause instanceof Error ? { name: cause.name, message: cause.message } : undefined;
}
