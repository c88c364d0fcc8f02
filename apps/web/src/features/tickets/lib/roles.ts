import { useCan } from '../../auth/hooks/use-me';

/** A department member (抢修班组等): handles orders dispatched to the department but does not dispatch. */
export function useIsDepartmentMember(): boolean {
  const can = useCan();
  return can('ticket:handle') && !can('ticket:dispatch');
}
