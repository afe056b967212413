import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Database } from '@invoiceflow/db';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Config } from './config';
import { createContext } from './context';
import { AppError } from './lib/errors';
import { registerRequestTextChecks } from './lib/input-text';
import { registerStrictJsonParser } from './lib/json-body';
import { loggerOptions } from './lib/logger';
import { clientErrorHandler, frameworkErrorHandler, registerProblemHandlers } from './lib/problem';
import { registerResponseHeaders, securityHeaders } from './lib/security-headers';
import { accountantRoutes } from './modules/accountants/routes';
import { authRoutes } from './modules/auth/routes';
import { bankingRoutes } from './modules/banking/routes';
import { companyDocumentRoutes } from './modules/companies/documents-routes';
import { companyLogoRoutes } from './modules/companies/logo-routes';
import { companyRoutes } from './modules/companies/routes';
import { contentRoutes } from './modules/content/routes';
import { customerRoutes } from './modules/customers/routes';
import { dashboardRoutes } from './modules/dashboard/routes';
import { draftRoutes } from './modules/drafts/routes';
import { egsRoutes } from './modules/egs/routes';
import { expenseRoutes } from './modules/expenses/routes';
import { healthRoutes } from './modules/health/routes';
import { importRoutes } from './modules/imports/routes';
import { invoiceRoutes } from './modules/invoices/routes';
import { mailRoutes } from './modules/mail/routes';
import { onlinePaymentRoutes } from './modules/online-payments/routes';
import { payablesSettingsRoutes } from './modules/payables/settings';
import { paymentRoutes } from './modules/payments/routes';
import { pdfRoutes } from './modules/pdf/routes';
import { peppolRoutes } from './modules/peppol/routes';
import { platformRoutes } from './modules/platform/routes';
import { portalRoutes } from './modules/portal/routes';
import { posRoutes } from './modules/pos/routes';
import { previewRoutes } from './modules/preview/routes';
import { productRoutes } from './modules/products/routes';
import { purchaseOrderRoutes } from './modules/purchase-orders/routes';
import { quoteRoutes } from './modules/quotes/routes';
import { recurringRoutes } from './modules/recurring/routes';
import { reportRoutes } from './modules/reports/routes';
import { supplierInvoiceRoutes } from './modules/supplier-invoices/routes';
import { timeEntryRoutes } from './modules/time-entries/routes';
import { transmissionRoutes } from './modules/transmission/routes';
import { userRoutes } from './modules/users/routes';
import { vendorRoutes } from './modules/vendors/routes';
import { webhookRoutes } from './modules/webhooks/routes';
import { zatcaRoutes } from './modules/zatca/routes';
import authPlugin from './plugins/auth';

export interface BuildAppOptions {
  config: Config;
  database: Database;
  /** false: no logs (tests); a stream: the logs go there instead of stdout (tests that read them). */
  logger?: boolean | NodeJS.WritableStream;
}

export async function buildApp({
  config,
  database,
  logger = true,
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      logger === false
        ? false
        : { ...(loggerOptions(config.LOG_LEVEL) as object), ...(logger === true ? {} : { stream: logger }) },
    bodyLimit: config.BODY_LIMIT,
    ...serverTimeouts(config),
    trustProxy: config.TRUST_PROXY,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    },
    ajv: { customOptions: { allErrors: false } },
    // Errors raised before a route runs are problems with a code like every other error (lib/problem.ts).
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    // The seeds call `/api/v1/drafts/` and `/api/v1/clients/{id}/`: a trailing slash names the same route.
    routerOptions: { ignoreTrailingSlash: true },
  });
  // The application itself, jobs and all, is made without HTTP (context.ts); this process serves it.
  const ctx = await createContext(config, database, { log: app.log });
  const { secrets } = ctx;
  app.decorate('ctx', ctx);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const hasWebApp = existsSync(config.WEB_DIST);
  registerProblemHandlers(app, { spaFallback: hasWebApp });
  registerStrictJsonParser(app);
  registerRequestTextChecks(app);
  // Security headers (API answers: the OWASP REST set; documents: helmet's, computed once) and the request id.
  registerResponseHeaders(app, await securityHeaders());
  // Without allowed origins @fastify/cors would only add a per-request hook that does nothing.
  if (config.CORS_ORIGINS.length > 0) {
    await app.register(cors, { origin: config.CORS_ORIGINS, credentials: false });
  }
  await app.register(rateLimit, {
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: '1 minute',
    // The x-ratelimit-* headers go out with the 429 only (with Retry-After): three more headers on every answer
    // cost the live preview ≈ 2 µs each, and no client of ours paces itself on them.
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
    errorResponseBuilder: (_request, context) =>
      new AppError('TOO_MANY_REQUESTS', {
        headers: { 'retry-after': String(Math.ceil(context.ttl / 1000)) },
      }),
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'InvoiceFlow API',
        version: '0.1.0',
        description:
          'E-invoicing and billing for Saudi Arabia (ZATCA: signed XML, QR, reporting and clearance) and the UAE ' +
          '(totals and PDFs by the PINT AE rules; PINT AE XML is not emitted yet). Amounts are decimal strings. ' +
          'Errors are application/problem+json with a stable `code`. Send the active company as `X-Company-Id`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas given an id (`.meta({ id })`) are written once under components.schemas and referenced.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await app.register(authPlugin, {
    db: database.db,
    jwtKey: secrets.jwtKey,
    anonymousPerMinute: config.ANONYMOUS_PER_MINUTE,
  });
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(companyRoutes);
  await app.register(companyLogoRoutes);
  await app.register(companyDocumentRoutes);
  await app.register(userRoutes);
  await app.register(platformRoutes);
  await app.register(contentRoutes);
  await app.register(customerRoutes);
  await app.register(vendorRoutes);
  await app.register(payablesSettingsRoutes);
  await app.register(purchaseOrderRoutes);
  await app.register(supplierInvoiceRoutes);
  await app.register(productRoutes);
  await app.register(previewRoutes);
  await app.register(draftRoutes);
  await app.register(invoiceRoutes);
  await app.register(paymentRoutes);
  await app.register(onlinePaymentRoutes);
  await app.register(portalRoutes);
  await app.register(posRoutes);
  await app.register(mailRoutes);
  await app.register(dashboardRoutes);
  await app.register(reportRoutes);
  await app.register(egsRoutes);
  await app.register(zatcaRoutes);
  await app.register(recurringRoutes);
  await app.register(quoteRoutes);
  await app.register(webhookRoutes);
  await app.register(transmissionRoutes);
  await app.register(peppolRoutes);
  await app.register(pdfRoutes);
  await app.register(expenseRoutes);
  await app.register(timeEntryRoutes);
  await app.register(accountantRoutes);
  await app.register(bankingRoutes);
  await app.register(importRoutes);

  await registerWebApp(app, config.WEB_DIST);
  app.addHook('onClose', () => ctx.jobs.stop());
  return app;
}

/**
 * Node's HTTP server checks the request and headers timeouts only every `connectionsCheckingInterval` (30 s by
 * default), so a timeout is enforced to within a quarter of itself; headers cannot be allowed longer than the whole
 * request.
 */
function serverTimeouts(config: Config) {
  const headersTimeout = Math.min(config.HEADERS_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS);
  return {
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    http: {
      headersTimeout,
      connectionsCheckingInterval: Math.max(10, Math.min(30_000, Math.floor(headersTimeout / 4))),
    },
  };
}

/** The built single-page app at /; client-side routes fall back to index.html (lib/problem.ts). */
async function registerWebApp(app: FastifyInstance, webDist: string): Promise<void> {
  if (!existsSync(webDist)) {
    app.log.warn({ webDist }, 'web app not built: run `npm run build`');
    return;
  }
  await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, index: ['index.html'] });
}
