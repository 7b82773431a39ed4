import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PageContext } from '../html/context.ts';
import type { Translate } from '../i18n/messages.ts';
import { DATE_SHAPE } from './date-shape.ts';

/** An error with an HTTP status and a stable machine-readable code, safe to show to the client. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }
}

/** A 404 for a record that is not there: code '<what>_not_found' ('event_not_found'). */
export function notFound(what: string): never {
  throw new HttpError(404, `${what}_not_found`, `No such ${what}`);
}

export interface ErrorDetail {
  /** Where the problem is: 'params.id', 'query.left', 'body.email'. */
  field: string;
  message: string;
}

/** The one shape of every JSON error. */
interface ErrorBody {
  error: { status: number; code: string; message: string; requestId: string; details?: ErrorDetail[] };
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  500: 'internal_error',
  503: 'service_unavailable',
};

export type ErrorPageRenderer = (ctx: PageContext, status: number, requestId: string, details?: ErrorDetail[]) => string;

function isApi(request: FastifyRequest): boolean {
  const url = request.url;
  return url.startsWith('/api/') || url === '/healthz' || url === '/readyz';
}

/** Whether a request is answered in JSON (the API, or a client that asks for JSON and not HTML). */
export function wantsJson(request: FastifyRequest): boolean {
  return isApi(request) || Boolean(!request.headers.accept?.includes('html') && request.headers.accept?.includes('json'));
}

/** A check of the shared date schema (dates.ts) that failed: its format, or its pattern (the range). */
const isDateCheck = (v: { keyword: string; params?: Record<string, unknown> }): boolean =>
  (v.keyword === 'format' && v.params?.format === 'date') || (v.keyword === 'pattern' && v.params?.pattern === `^${DATE_SHAPE}$`);

/**
 * The fields a request's validation refused. On a page (`t` given), a date refused by the shared date
 * schema is told in the visitor's language, once per field.
 */
function toDetails(error: FastifyError, t?: Translate): ErrorDetail[] | undefined {
  if (!error.validation) return undefined;
  const details = error.validation.map((v) => {
    const context = error.validationContext ?? 'request';
    const field = v.instancePath ? `${context}${v.instancePath.replace(/\//g, '.')}` : context;
    const extra = v.params && 'missingProperty' in v.params ? `.${String(v.params.missingProperty)}` : '';
    const allowed = v.params && 'allowedValues' in v.params ? `: ${(v.params.allowedValues as unknown[]).join(', ')}` : '';
    return { field: `${field}${extra}`, message: `${v.message ?? 'is invalid'}${allowed}`, date: isDateCheck(v) };
  });
  if (!t) return details.map(({ field, message }) => ({ field, message }));
  const dates = new Set(details.filter((d) => d.date).map((d) => d.field));
  const seen = new Set<string>();
  return details.flatMap(({ field, message }) => {
    if (!dates.has(field)) return [{ field, message }];
    if (seen.has(field)) return [];
    seen.add(field);
    return [{ field, message: t('form.error.invalid_date') }];
  });
}

/**
 * Installs the error and not-found handlers: JSON for the API, a page in the visitor's language for
 * everything else; never a stack trace; every server error logged with its request id.
 */
export function installErrorHandlers(app: FastifyInstance, page: (request: FastifyRequest) => PageContext, renderError: ErrorPageRenderer): void {
  const send = (request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string, details?: ErrorDetail[]) => {
    reply.status(status);
    if (wantsJson(request)) {
      const body: ErrorBody = { error: { status, code, message, requestId: String(request.id), ...(details ? { details } : {}) } };
      return reply.type('application/json; charset=utf-8').send(body);
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(renderError(page(request), status, String(request.id), details));
  };

  app.setNotFoundHandler((request, reply) => send(request, reply, 404, 'not_found', `No resource at ${request.method} ${request.url.split('?')[0]}`));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) return send(request, reply, error.statusCode, error.code, error.message, error.details);
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return send(request, reply, status, STATUS_CODES[status] ?? 'internal_error', 'The server could not complete the request.');
    }
    const details = toDetails(error, wantsJson(request) ? undefined : page(request).t);
    const message = details ? 'The request is not valid: see details.' : error.message;
    return send(request, reply, status, STATUS_CODES[status] ?? 'bad_request', message, details);
  });
}
