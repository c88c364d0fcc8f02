import { Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../auth/hooks/use-me';
import { PageHeader } from '../../shell/components/page-header';
import { ApiTokensCard } from '../components/api-tokens-card';
import { ChangePasswordCard } from '../components/change-password-card';
import { ProfileCard } from '../components/profile-card';

export function MyAccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <>
      <PageHeader title={t('nav.myAccount')} subTitle={t('account.subtitle')} breadcrumbs={[{ title: t('nav.myAccount') }]} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9} xxl={7}>
          <ProfileCard me={me} />
        </Col>
        <Col xs={24} lg={15} xxl={17}>
          <Row gutter={[16, 16]}>
            <Col span={24}>
              <ApiTokensCard me={me} />
            </Col>
            <Col span={24}>
              <ChangePasswordCard />
            </Col>
          </Row>
        </Col>
      </Row>
    </>
  );
}
