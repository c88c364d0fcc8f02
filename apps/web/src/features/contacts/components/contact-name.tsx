import { useTranslation } from 'react-i18next';
import type { TContact } from '../../../api/contact-types';
import { useContactName } from '../hooks/use-contacts';

/** The customer's or visitor's name for a contact (see useContactName). */
export function ContactName({ contact }: { contact: Pick<TContact, 'customerName' | 'fromAddress' | 'conversationId'> }) {
  const { t } = useTranslation();
  return <>{useContactName(contact) ?? t('contacts.anonymous')}</>;
}
