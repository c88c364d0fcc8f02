export { createCustomerImport } from './customers.import.ts';
export { customersRoutes } from './customers.routes.ts';
export { buildCustomerSearchDocument } from './customers.search.ts';
export { type CustomersService, createCustomersService } from './customers.service.ts';
