import { Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { shortId } from '../../../lib/format';
import { useCan } from '../../auth/hooks/use-me';
import { useTicketsByIds } from '../../tickets/hooks/use-tickets';

/** The work orders linked to a contact, by number when the user may read orders. */
export function TicketLinks({ ids }: { ids: readonly string[] }) {
  const can = useCan();
  const mayRead = can('ticket:read');
  const tickets = useTicketsByIds(mayRead ? ids : []);
  if (ids.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  if (!mayRead) return <span className="kefu-mono">{ids.map(shortId).join(', ')}</span>;
  const numbers = new Map((tickets.data ?? []).map((tk) => [tk.id, tk.number]));
  return (
    <Space size={8} wrap>
      {ids.map((id) => (
        <Link key={id} to={`/tickets/${id}`} className="kefu-mono" data-testid="contact-ticket-link">
          {numbers.get(id) ?? shortId(id)}
        </Link>
      ))}
    </Space>
  );
}
