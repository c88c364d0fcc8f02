import { PhoneOutlined } from '@ant-design/icons';
import { App, Button, type ButtonProps, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TOriginateRequest } from '../../../api/calls';
import { isApiError } from '../../../api/client';
import { useErrorMessage } from '../../../lib/errors';
import { useCan } from '../../auth/hooks/use-me';
import { useOriginate } from '../hooks/use-calls';
import { originateErrorKey } from '../lib/call-labels';

type Props = {
  /** Whom to dial: exactly one of these (the server looks the number up for a customer or a callback task). */
  target: Pick<TOriginateRequest, 'customerId' | 'callbackTaskId' | 'number'>;
  /** A number the device could dial itself when no CTI channel is set up (tel: link in the error). */
  telFallback?: string | null;
  size?: ButtonProps['size'];
  type?: ButtonProps['type'];
};

/** 拨打 (click-to-call): the PBX rings the agent's extension first, then dials the customer. */
export function CallButton({ target, telFallback, size, type }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const toMessage = useErrorMessage();
  const originate = useOriginate();
  if (!can('contact:handle')) return null;

  const onError = (error: unknown) => {
    const key = originateErrorKey(error);
    const text = key ? t(key) : toMessage(error);
    const offerTel = Boolean(telFallback) && isApiError(error) && error.code === 'cti.not_configured';
    void message.error({
      content: offerTel ? (
        <Flex vertical gap={4} align="flex-start">
          <span>{text}</span>
          <a href={`tel:${telFallback}`}>{t('calls.originate.useTel', { phone: telFallback })}</a>
        </Flex>
      ) : (
        text
      ),
      duration: offerTel ? 8 : 4,
    });
  };

  return (
    <Button
      size={size}
      type={type}
      icon={<PhoneOutlined />}
      loading={originate.isPending}
      onClick={() => originate.mutate(target, { onSuccess: () => void message.success(t('calls.originate.requested')), onError })}
      data-testid="call-originate"
    >
      {t('calls.originate.call')}
    </Button>
  );
}
