import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../lib/errors';
import { type TSynonymGroup, useCreateSynonyms, useDeleteSynonyms, useSynonyms } from '../hooks/use-search';

const MAX_TERMS = 20;
const MAX_TERM_LENGTH = 20;

/** 同义词: groups of words search treats as the same (停电 / 断电 / 没电). kb:publish. */
export function SynonymsEditor() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const list = useSynonyms(true);
  const create = useCreateSynonyms();
  const remove = useDeleteSynonyms();
  const [terms, setTerms] = useState<string[]>([]);

  const cleaned = [...new Map(terms.map((x) => x.trim()).filter(Boolean).map((x) => [x.toLowerCase(), x])).values()];
  const tooLong = cleaned.some((x) => x.length > MAX_TERM_LENGTH);
  const valid = cleaned.length >= 2 && cleaned.length <= MAX_TERMS && !tooLong;

  const add = () =>
    create.mutate(cleaned, {
      onSuccess: () => {
        setTerms([]);
        message.success(t('search.synonyms.saved'));
      },
      onError: (e) => message.error(toMessage(e)),
    });

  return (
    <Card title={t('search.synonyms.title')} data-testid="synonyms-editor">
      <Typography.Paragraph type="secondary">{t('search.synonyms.hint')}</Typography.Paragraph>
      <Flex gap={8} style={{ marginBottom: 16 }}>
        <Select
          mode="tags"
          style={{ flex: 1 }}
          value={terms}
          onChange={setTerms}
          tokenSeparators={[',', '，', ' ', '/', '、']}
          open={false}
          placeholder={t('search.synonyms.placeholder')}
          status={tooLong ? 'error' : undefined}
          data-testid="synonyms-input"
        />
        <Button type="primary" icon={<PlusOutlined />} disabled={!valid} loading={create.isPending} onClick={add} data-testid="synonyms-add">
          {t('search.synonyms.add')}
        </Button>
      </Flex>
      {tooLong && <Typography.Text type="danger">{t('search.synonyms.tooLong', { max: MAX_TERM_LENGTH })}</Typography.Text>}
      <Table<TSynonymGroup>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t('search.synonyms.empty')} /> }}
        columns={[
          {
            title: t('search.synonyms.terms'),
            key: 'terms',
            render: (_, g) => (
              <Space size={[4, 4]} wrap>
                {g.terms.map((term) => (
                  <Tag key={term}>{term}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: '',
            key: 'actions',
            width: 80,
            render: (_, g) => (
              <Popconfirm title={t('search.synonyms.confirmDelete')} onConfirm={() => remove.mutate(g.id, { onError: (e) => message.error(toMessage(e)) })}>
                <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('search.synonyms.delete')} data-testid={`synonyms-delete-${g.id}`} />
              </Popconfirm>
            ),
          },
        ]}
      />
    </Card>
  );
}
