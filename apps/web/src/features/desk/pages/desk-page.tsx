import { CoffeeOutlined, CustomerServiceOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Flex, Result, Skeleton, Space, Tabs, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HELD_STATUSES, type TContact } from '../../../api/contact-types';
import { useErrorMessage } from '../../../lib/errors';
import { useMe } from '../../auth/hooks/use-me';
import { PageHeader } from '../../shell/components/page-header';
import { ChannelIcon } from '../../contacts/components/channel-icon';
import { ContactName } from '../../contacts/components/contact-name';
import { contactStatusLabel, presenceLabel } from '../../contacts/lib/contact-labels';
import { CallbacksDrawer } from '../components/callbacks-drawer';
import { ConversationPane } from '../components/conversation-pane';
import { OfferCard } from '../components/offer-card';
import { PresenceBar } from '../components/presence-bar';
import { TransferModal } from '../components/transfer-modal';
import { useContactAction, useDesk, useOpenCallbacks } from '../hooks/use-desk';
import { useDeskRealtime } from '../hooks/use-desk-realtime';
import { useAudioUnlock, useRinger } from '../hooks/use-ringer';

const MUTE_KEY = 'kefu.desk.muted';
const TAB_DOT: Record<string, 'success' | 'warning' | 'processing' | 'default'> = { active: 'success', on_hold: 'warning', wrap_up: 'processing' };

/** The page title blinks while an offer rings, so an agent in another tab notices. */
function useRingingTitle(count: number, text: string) {
  useEffect(() => {
    if (count === 0) return;
    const original = document.title;
    let on = false;
    const timer = window.setInterval(() => {
      on = !on;
      document.title = on ? text : original;
    }, 1000);
    return () => {
      window.clearInterval(timer);
      document.title = original;
    };
  }, [count, text]);
}

/** 坐席工作台: presence, ringing offers, one tab per held contact with the customer beside it, callbacks. */
export function DeskPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const toMessage = useErrorMessage();
  const desk = useDesk();
  const callbacks = useOpenCallbacks();
  const action = useContactAction(me.id);
  const [muted, setMuted] = useState(() => localStorage.getItem(MUTE_KEY) === '1');
  const [activeKey, setActiveKey] = useState<string | undefined>();
  const [transferring, setTransferring] = useState<TContact | null>(null);
  const [callbacksOpen, setCallbacksOpen] = useState(false);

  useAudioUnlock();
  useDeskRealtime(me.id, (w) => message.info(t(`desk.withdrawn.${w.reason}`, { defaultValue: t('desk.withdrawn.other') })));

  const contacts = desk.data?.contacts ?? [];
  const offers = useMemo(() => contacts.filter((c) => c.status === 'offered' && c.offerAgentId === me.id), [contacts, me.id]);
  const held = useMemo(
    () => contacts.filter((c) => HELD_STATUSES.includes(c.status)).sort((a, b) => (a.answeredAt ?? a.createdAt).localeCompare(b.answeredAt ?? b.createdAt)),
    [contacts],
  );
  const wrapUpPending = held.some((c) => c.status === 'wrap_up');

  useRinger(offers.length > 0, muted);
  useRingingTitle(offers.length, t('desk.ringingTitle', { count: offers.length }));

  // Keep a valid tab selected: the first one when the selected contact has gone.
  const current = held.find((c) => c.id === activeKey) ?? held[0];

  const accept = (contact: TContact) =>
    action.mutate(
      { contactId: contact.id, action: 'accept' },
      {
        onSuccess: () => setActiveKey(contact.id),
        onError: (error) => message.error(toMessage(error)),
      },
    );
  const decline = (contact: TContact) => action.mutate({ contactId: contact.id, action: 'decline' }, { onError: (error) => message.error(toMessage(error)) });

  const toggleMute = () =>
    setMuted((m) => {
      localStorage.setItem(MUTE_KEY, m ? '0' : '1');
      return !m;
    });

  if (desk.isPending) {
    return (
      <>
        <PageHeader title={t('nav.desk')} breadcrumbs={[{ title: t('nav.desk') }]} />
        <Card variant="borderless">
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      </>
    );
  }
  if (desk.isError) {
    return (
      <Result
        status="error"
        title={t('desk.loadFailed')}
        subTitle={toMessage(desk.error)}
        extra={
          <Button type="primary" onClick={() => void desk.refetch()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }

  const data = desk.data;
  const presence = data.presence;
  const counters = {
    ringing: offers.length,
    active: held.filter((c) => c.status === 'active').length,
    onHold: held.filter((c) => c.status === 'on_hold').length,
    wrapUp: held.filter((c) => c.status === 'wrap_up').length,
    callbacks: callbacks.data?.length ?? 0,
  };

  return (
    <>
      <PageHeader title={t('nav.desk')} subTitle={t('desk.subtitle')} breadcrumbs={[{ title: t('nav.desk') }]} />
      <Flex vertical gap={16} data-testid="desk-page">
        <PresenceBar desk={data} counters={counters} muted={muted} onToggleMute={toggleMute} onOpenCallbacks={() => setCallbacksOpen(true)} />

        {offers.length > 0 && (
          <Flex vertical gap={12} data-testid="desk-offers">
            {offers.map((offer) => (
              <OfferCard
                key={offer.id}
                contact={offer}
                onAccept={() => accept(offer)}
                onDecline={() => decline(offer)}
                accepting={action.isPending && action.variables?.contactId === offer.id && action.variables.action === 'accept'}
                declining={action.isPending && action.variables?.contactId === offer.id && action.variables.action === 'decline'}
                wrapUpPending={wrapUpPending}
              />
            ))}
          </Flex>
        )}

        {wrapUpPending && offers.length === 0 && <Alert type="info" showIcon title={t('desk.wrapUpReminder')} data-testid="desk-wrapup-reminder" />}

        {held.length === 0 ? (
          <Card variant="borderless">
            <Result
              icon={presence.state === 'online' ? <CustomerServiceOutlined style={{ color: '#1677ff' }} /> : <CoffeeOutlined style={{ color: '#faad14' }} />}
              title={presence.state === 'online' ? t('desk.empty.online') : t('desk.empty.notOnline', { state: presenceLabel(t, presence.state) })}
              subTitle={presence.state === 'online' ? t('desk.empty.onlineHint') : t('desk.empty.notOnlineHint')}
              data-testid="desk-empty"
            />
          </Card>
        ) : (
          <Tabs
            className="kefu-desk-tabs"
            type="card"
            activeKey={current?.id}
            onChange={setActiveKey}
            data-testid="desk-tabs"
            items={held.map((c) => ({
              key: c.id,
              label: (
                <Space size={6} data-testid="desk-tab" data-status={c.status}>
                  <Badge status={TAB_DOT[c.status] ?? 'default'} />
                  <ChannelIcon channel={c.channel} />
                  <span>
                    <ContactName contact={c} />
                  </span>
                  {c.status !== 'active' && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {contactStatusLabel(t, c.status)}
                    </Typography.Text>
                  )}
                </Space>
              ),
              children: <ConversationPane contact={c} agentId={me.id} visible={c.id === current?.id} onTransfer={setTransferring} />,
            }))}
          />
        )}
      </Flex>
      <TransferModal contact={transferring} agentId={me.id} onClose={() => setTransferring(null)} />
      <CallbacksDrawer open={callbacksOpen} onClose={() => setCallbacksOpen(false)} />
    </>
  );
}
