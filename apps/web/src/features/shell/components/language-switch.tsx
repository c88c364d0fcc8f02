import { GlobalOutlined } from '@ant-design/icons';
import { Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { type AppLanguage, changeLanguage } from '../../../i18n';

const LABELS: Record<AppLanguage, string> = { 'zh-CN': '中文', 'en-US': 'English' };

export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  const current = (i18n.language as AppLanguage) in LABELS ? (i18n.language as AppLanguage) : 'zh-CN';
  return (
    <Dropdown
      menu={{
        selectable: true,
        selectedKeys: [current],
        items: (Object.keys(LABELS) as AppLanguage[]).map((lng) => ({
          key: lng,
          label: <span data-testid={`lang-${lng}`}>{LABELS[lng]}</span>,
        })),
        onClick: ({ key }) => void changeLanguage(key as AppLanguage),
      }}
      placement="bottomRight"
    >
      <button type="button" className="kefu-header-action" data-testid="lang-switch" title={t('header.language')}>
        <GlobalOutlined />
        <span>{LABELS[current]}</span>
      </button>
    </Dropdown>
  );
}
