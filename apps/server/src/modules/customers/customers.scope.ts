import type { DB } from '@kefu/db';
import { assertNever } from '@kefu/domain';
import { type ExpressionBuilder, type ExpressionWrapper, type SqlBool, sql } from 'kysely';
import type { AuthContext } from '../../platform/auth-context.ts';

/**
 * Row-level visibility of customers for a caller: their brands, narrowed by the role's scope.
 * Department members reach only the customers of work orders dispatched to their department.
 */
export function customerVisibility(auth: AuthContext) {
  return (eb: ExpressionBuilder<DB, 'customers'>): ExpressionWrapper<DB, 'customers', SqlBool> => {
    if (auth.brandIds.length === 0) return eb.and([sql<SqlBool>`false`]);
    const brand = eb('customers.brand_id', 'in', [...auth.brandIds]);
    switch (auth.scope) {
      case 'all':
        return eb.and([brand]);
      case 'areas':
        return eb.and([
          brand,
          eb('customers.area_id', 'in', eb.selectFrom('areas').select('areas.id').where('areas.account_manager_id', '=', auth.userId)),
        ]);
      case 'self':
        return auth.customerId ? eb.and([brand, eb('customers.id', '=', auth.customerId)]) : eb.and([sql<SqlBool>`false`]);
      case 'department':
        return auth.departmentId
          ? eb.and([brand, eb('customers.id', 'in', eb.selectFrom('tickets').select('tickets.customer_id').where('tickets.department_id', '=', auth.departmentId))])
          : eb.and([sql<SqlBool>`false`]);
      default:
        return assertNever(auth.scope);
    }
  };
}
