import type { TScript } from '@kefu/contracts';
import { Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** One script in the reply box's picker: `/shortcut`, title, language when not the UI's, the body. */
export function ScriptRow({ script, active, onPick, language }: { script: TScript; active?: boolean; onPick: () => void; language: string }) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className={`kefu-canned-item${active ? ' kefu-canned-item-active' : ''}`}
      onMouseDown={(e) => e.preventDefault()}
      onClick={onPick}
      data-testid="canned-reply"
      data-shortcut={script.shortcut}
      data-script-id={script.id}
    >
      <Flex gap={8} align="baseline" wrap>
        <Typography.Text code>/{script.shortcut}</Typography.Text>
        <Typography.Text strong>{script.title}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t(`scripts.situation.${script.situation}`)}
        </Typography.Text>
        {script.language !== language && <Tag style={{ marginInlineEnd: 0 }}>{t(`scripts.language.${script.language}`)}</Tag>}
      </Flex>
      <Typography.Text type="secondary" ellipsis style={{ display: 'block', fontSize: 12 }}>
        {script.body}
      </Typography.Text>
    </button>
  );
}
