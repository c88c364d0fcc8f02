import { Navigate } from 'react-router-dom';
import { useCan } from '../../auth/hooks/use-me';

/**
 * The first page a user lands on: agents (who answer contacts but do not dispatch) at the agent
 * desktop; department members (who handle but do not dispatch orders) at their work orders; others
 * at the customer archive when they may read it, else their account.
 */
export function HomeRedirect() {
  const can = useCan();
  if (can('contact:handle') && !can('ticket:dispatch')) return <Navigate to="/desk" replace />;
  if (can('ticket:handle') && !can('ticket:dispatch') && can('ticket:read')) return <Navigate to="/tickets" replace />;
  if (can('customer:read')) return <Navigate to="/customers" replace />;
  if (can('user:read')) return <Navigate to="/admin/users" replace />;
  return <Navigate to="/me" replace />;
}
