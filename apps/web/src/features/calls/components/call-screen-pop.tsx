import { PhoneOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TCurrentCall } from '../../../api/calls';
import { useCallRealtime, useCurrentCalls } from '../hooks/use-calls';
import { callStatusLabel } from '../lib/call-labels';
import { ScreenPopDrawer } from './screen-pop-drawer';

const PILL_STYLE = { color: '#389e0d', borderColor: '#b7eb8f', background: '#f6ffed' };

function callLabel(t: TFunction, call: TCurrentCall): string {
  return `${call.customerName ?? call.caller ?? t('calls.current.unknownCaller')} · ${callStatusLabel(t, call.status)}`;
}

/**
 * 来电弹屏 for the whole app (mounted once in the header for agents): opens the pop when a call is
 * answered (`call.screen_pop`) and again when it ends (`call.updated` → wrap_up), and shows the pill
 * "当前通话 N" for calls not wrapped up yet, which reopens a pop after it was minimized or the page
 * reloaded. Plays no sound: the phone itself rang.
 */
export function CallScreenPop() {
  const { t } = useTranslation();
  const [openId, setOpenId] = useState<string | null>(null);
  const current = useCurrentCalls();
  useCallRealtime({
    onPop: (pop) => setOpenId(pop.contactId),
    onUpdate: (update) => {
      if (update.status === 'wrap_up') setOpenId(update.contactId);
    },
  });

  const calls = current.data ?? [];
  const pill =
    calls.length === 0 ? null : calls.length === 1 ? (
      <Button
        shape="round"
        size="small"
        icon={<PhoneOutlined />}
        style={PILL_STYLE}
        title={callLabel(t, calls[0] as TCurrentCall)}
        onClick={() => setOpenId((calls[0] as TCurrentCall).contactId)}
        data-testid="call-pill"
      >
        {t('calls.current.pill', { count: 1 })}
      </Button>
    ) : (
      <Dropdown
        trigger={['click']}
        menu={{
          items: calls.map((c) => ({ key: c.contactId, label: <span data-testid="call-pill-item">{callLabel(t, c)}</span> })),
          onClick: ({ key }) => setOpenId(key),
        }}
      >
        <Button shape="round" size="small" icon={<PhoneOutlined />} style={PILL_STYLE} title={t('calls.current.pillTitle')} data-testid="call-pill">
          {t('calls.current.pill', { count: calls.length })}
        </Button>
      </Dropdown>
    );

  return (
    <>
      {pill}
      <ScreenPopDrawer contactId={openId} onClose={() => setOpenId(null)} />
    </>
  );
}
