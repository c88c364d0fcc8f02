import type { DB } from '@kefu/db';
import { assertNever } from '@kefu/domain';
import { type ExpressionBuilder, type ExpressionWrapper, type SqlBool, sql } from 'kysely';
import type { AuthContext } from '../../platform/auth-context.ts';

/** Row-level visibility of work orders: the caller's brands narrowed by the role's data scope. */
export function ticketVisibility(auth: AuthContext) {
  return (eb: ExpressionBuilder<DB, 'tickets'>): ExpressionWrapper<DB, 'tickets', SqlBool> => {
    if (auth.brandIds.length === 0) return eb.and([sql<SqlBool>`false`]);
    const brand = eb('tickets.brand_id', 'in', [...auth.brandIds]);
    switch (auth.scope) {
      case 'all':
        return eb.and([brand]);
      case 'department':
        return auth.departmentId ? eb.and([brand, eb('tickets.department_id', '=', auth.departmentId)]) : eb.and([sql<SqlBool>`false`]);
      case 'areas':
        return eb.and([brand, eb('tickets.area_id', 'in', eb.selectFrom('areas').select('areas.id').where('areas.account_manager_id', '=', auth.userId))]);
      case 'self':
        return auth.customerId ? eb.and([brand, eb('tickets.customer_id', '=', auth.customerId)]) : eb.and([sql<SqlBool>`false`]);
      default:
        return assertNever(auth.scope);
    }
  };
}
