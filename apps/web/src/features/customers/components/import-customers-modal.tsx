import { CheckCircleOutlined, DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Modal, Result, Statistic, Steps, Table, Typography, Upload } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportResult, ImportRowError } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { useImportCustomers } from '../hooks/use-customers';

export const IMPORT_COLUMNS = ['name', 'phones', 'email', 'idNumber', 'areaCode', 'address', 'preferredLanguage', 'flags', 'tags', 'notes'];

function downloadTemplate() {
  const example = ['张三', '13800000000;13900000000', 'zhangsan@example.com', '', 'A001', '城关区幸福路 1 号', 'zh-CN', 'vulnerable', '独居老人', ''];
  // BOM so Excel opens the UTF-8 Chinese text correctly.
  const csv = `\uFEFF${IMPORT_COLUMNS.join(',')}\n${example.map((v) => (v.includes(',') ? `"${v}"` : v)).join(',')}\n`;
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'kefu-customers-template.csv';
  a.click();
  URL.revokeObjectURL(url);
}

/** Upload → dry run (per-row errors) → confirm. Nothing is written until the user confirms. */
export function ImportCustomersModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const toMessage = useErrorMessage();
  const importer = useImportCustomers();
  const [file, setFile] = useState<File | null>(null);
  const [check, setCheck] = useState<ImportResult | null>(null);
  const [done, setDone] = useState<ImportResult | null>(null);

  const step = done ? 2 : check ? 1 : 0;

  const reset = () => {
    setFile(null);
    setCheck(null);
    setDone(null);
    importer.reset();
  };

  const runCheck = () => {
    if (!file) return;
    importer.mutate({ file, dryRun: true }, { onSuccess: setCheck });
  };
  const runImport = () => {
    if (!file) return;
    importer.mutate({ file, dryRun: false }, { onSuccess: setDone });
  };

  const errorColumns = [
    { title: t('customers.importDialog.row'), dataIndex: 'row', width: 80 },
    { title: t('customers.importDialog.field'), dataIndex: 'field', width: 140, render: (v: string | null) => (v ? <code>{v}</code> : '—') },
    { title: t('customers.importDialog.message'), dataIndex: 'message' },
  ];

  let footer: ReactNode;
  if (step === 0) {
    footer = [
      <Button key="cancel" onClick={onClose}>
        {t('common.cancel')}
      </Button>,
      <Button key="check" type="primary" disabled={!file} loading={importer.isPending} onClick={runCheck} data-testid="import-check">
        {t('customers.importDialog.check')}
      </Button>,
    ];
  } else if (step === 1) {
    footer = [
      <Button key="back" onClick={reset}>
        {t('customers.importDialog.chooseAnother')}
      </Button>,
      <Button
        key="confirm"
        type="primary"
        disabled={!check || check.valid === 0}
        loading={importer.isPending}
        onClick={runImport}
        data-testid="import-confirm"
      >
        {t('customers.importDialog.confirm', { count: check?.valid ?? 0 })}
      </Button>,
    ];
  } else {
    footer = [
      <Button key="close" type="primary" onClick={onClose}>
        {t('common.done')}
      </Button>,
    ];
  }

  return (
    <Modal open={open} title={t('customers.importDialog.title')} width={760} onCancel={onClose} footer={footer} afterClose={reset} destroyOnHidden>
      <Steps
        size="small"
        current={step}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('customers.importDialog.stepUpload') },
          { title: t('customers.importDialog.stepCheck') },
          { title: t('customers.importDialog.stepDone') },
        ]}
      />
      {importer.isError && <Alert type="error" showIcon title={toMessage(importer.error)} style={{ marginBottom: 16 }} />}
      {step === 0 && (
        <>
          <Upload.Dragger
            accept=".csv,.xlsx"
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              importer.reset();
              return false; // keep the file; we upload it ourselves
            }}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: 'import', name: file.name, status: 'done' }] : []}
            data-testid="import-upload"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('customers.importDialog.dragHint')}</p>
            <p className="ant-upload-hint">{t('customers.importDialog.formatHint')}</p>
          </Upload.Dragger>
          <Flex justify="space-between" align="center" style={{ marginTop: 16 }} gap={12}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('customers.importDialog.columns')}: <code>{IMPORT_COLUMNS.join(', ')}</code>
            </Typography.Text>
            <Button type="link" icon={<DownloadOutlined />} onClick={downloadTemplate}>
              {t('customers.importDialog.template')}
            </Button>
          </Flex>
        </>
      )}
      {step === 1 && check && (
        <>
          <Flex gap={48} style={{ marginBottom: 16 }}>
            <Statistic title={t('customers.importDialog.total')} value={check.total} />
            <Statistic title={t('customers.importDialog.valid')} value={check.valid} styles={{ content: { color: '#389e0d' } }} />
            <Statistic
              title={t('customers.importDialog.invalid')}
              value={check.errors.length ? new Set(check.errors.map((e) => e.row)).size : 0}
              styles={{ content: { color: check.errors.length ? '#cf1322' : undefined } }}
            />
          </Flex>
          {check.errors.length > 0 ? (
            <>
              <Alert type="warning" showIcon title={t('customers.importDialog.errorsHint')} style={{ marginBottom: 12 }} />
              <Table<ImportRowError>
                size="small"
                rowKey={(e) => `${e.row}-${e.field ?? ''}-${e.code}-${e.message}`}
                columns={errorColumns}
                dataSource={check.errors}
                pagination={{ pageSize: 8, hideOnSinglePage: true }}
                data-testid="import-errors"
              />
            </>
          ) : (
            <Alert type="success" showIcon title={t('customers.importDialog.allValid')} />
          )}
        </>
      )}
      {step === 2 && done && (
        <Result
          icon={<CheckCircleOutlined style={{ color: '#52c41a' }} />}
          title={t('customers.importDialog.doneTitle', { count: done.created })}
          subTitle={done.errors.length ? t('customers.importDialog.doneSkipped', { count: done.errors.length }) : undefined}
        />
      )}
    </Modal>
  );
}
