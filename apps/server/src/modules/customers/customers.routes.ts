import {
  CUSTOMER_FLAGS,

  ZAttributeDefinition,
  ZCreateCustomerRequest,
  ZCustomer,
  ZCustomerListQuery,
  ZCustomerSummary,
  ZIdentityInput,
  ZIdParams,
  ZImportReport,
  ZItems,
  ZPage,
  ZUpdateCustomerRequest,
} from '@kefu/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext, requireAuth } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';
import type { createCustomerImport } from './customers.import.ts';
import { readSpreadsheet } from './customers.import.ts';
import type { CustomersService } from './customers.service.ts';

export type CustomersRoutesOptions = { customers: CustomersService; imports: ReturnType<typeof createCustomerImport> };

const tags = ['customers'];

export const customersRoutes: FastifyPluginAsyncZod<CustomersRoutesOptions> = async (app, { customers, imports }) => {
  app.get(
    '/customers',
    { schema: { tags, querystring: ZCustomerListQuery, response: { 200: ZPage(ZCustomerSummary) } }, config: { access: 'customer:read' } },
    (req) => customers.listCustomers(requireAuth(req), req.query),
  );

  app.get(
    '/customers/lookup',
    {
      schema: { tags, querystring: z.strictObject({ phone: z.string().trim().min(3).max(30) }), response: { 200: ZItems(ZCustomerSummary) } },
      config: { access: 'customer:read' },
    },
    (req) => customers.lookupByPhone(requireAuth(req), req.query.phone),
  );

  app.get(
    '/customers/export',
    {
      schema: {
        tags,
        querystring: z.strictObject({
          format: z.enum(['csv', 'xlsx']).default('csv'),
          q: z.string().max(100).optional(),
          areaId: z.uuid().optional(),
          flag: z.enum(CUSTOMER_FLAGS).optional(),
          tag: z.string().max(40).optional(),
        }),
      },
      config: { access: 'customer:export' },
    },
    async (req, reply) => {
      const { format, ...filter } = req.query;
      const file = await imports.exportCustomers(requestContext(req), format, filter);
      const type = req.query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      return reply
        .header('content-type', type)
        .header('content-disposition', `attachment; filename="customers.${req.query.format}"`)
        .send(file);
    },
  );

  app.post(
    '/customers/import',
    {
      schema: { tags, querystring: z.strictObject({ dryRun: z.enum(['true', 'false']).default('true') }), response: { 200: ZImportReport } },
      config: { access: 'customer:import' },
    },
    async (req) => {
      if (!req.isMultipart()) throw new AppError('request.unsupported_media_type', 'Upload the file as multipart/form-data field "file"');
      const file = await req.file();
      if (!file) throw new AppError('validation.failed', 'No file uploaded', { field: 'file' });
      const data = await file.toBuffer();
      const rows = await readSpreadsheet(file.filename, data);
      return imports.importCustomers(requestContext(req), rows, req.query.dryRun === 'true');
    },
  );

  app.post(
    '/customers',
    { schema: { tags, body: ZCreateCustomerRequest, response: { 201: ZCustomer } }, config: { access: 'customer:write' } },
    async (req, reply) => reply.code(201).send(await customers.createCustomer(requestContext(req), req.body)),
  );

  app.get('/customers/:id', { schema: { tags, params: ZIdParams, response: { 200: ZCustomer } }, config: { access: 'customer:read' } }, (req) =>
    customers.getCustomer(requireAuth(req), req.params.id),
  );

  app.patch(
    '/customers/:id',
    { schema: { tags, params: ZIdParams, body: ZUpdateCustomerRequest, response: { 200: ZCustomer } }, config: { access: 'customer:write' } },
    (req) => customers.updateCustomer(requestContext(req), req.params.id, req.body),
  );

  app.post(
    '/customers/:id/reveal',
    { schema: { tags, params: ZIdParams, response: { 200: ZCustomer } }, config: { access: 'customer:unmask' } },
    (req) => customers.revealCustomer(requestContext(req), req.params.id),
  );

  app.post(
    '/customers/:id/identities',
    { schema: { tags, params: ZIdParams, body: ZIdentityInput, response: { 201: ZCustomer } }, config: { access: 'customer:write' } },
    async (req, reply) => reply.code(201).send(await customers.addIdentity(requestContext(req), req.params.id, req.body)),
  );

  app.delete(
    '/customers/:id/identities/:identityId',
    { schema: { tags, params: z.strictObject({ id: z.uuid(), identityId: z.uuid() }) }, config: { access: 'customer:write' } },
    async (req, reply) => {
      await customers.removeIdentity(requestContext(req), req.params.id, req.params.identityId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/customer-attributes',
    { schema: { tags, response: { 200: ZItems(ZAttributeDefinition) } }, config: { access: 'customer:read' } },
    async (req) => ({ items: await customers.listAttributeDefinitions(requireAuth(req)) }),
  );
};

