import { type ChangeEvent, useState } from 'react';
import { api } from '../api/browser-client';
import { isApiError } from '../api/client';
import {
  COMPANY_DOCUMENT_KINDS,
  type CompanyDocumentKind,
  deleteCompanyDocument,
  downloadCompanyDocument,
  listCompanyDocuments,
  uploadCompanyDocument,
} from '../api/settings';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages-en';
import { describeError } from '../lib/errors';
import { saveBlob } from '../lib/files';
import { useLoader } from '../lib/use-loader';
import { Alert } from './Alert';

/** What the API accepts (COMPANY_DOCUMENT_MAX_BYTES defaults to 10 MiB), said before a file is chosen. */
const MAX_BYTES = 10 * 1024 * 1024;

/**
 * The papers the company registers with (trade licence, VAT certificate…): a platform administrator reads them
 * before approving it. Shown in Settings → Company; a company waiting for approval is told so above them.
 */
export function CompanyDocuments({
  approvalStatus,
}: {
  approvalStatus?: 'approved' | 'pending' | 'rejected';
}) {
  const { t, formatDate } = useI18n();
  const documents = useLoader((signal) => listCompanyDocuments(api, { signal }), []);
  const [kind, setKind] = useState<CompanyDocumentKind>('trade_licence');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setError(null);
    setNotice(null);
    if (file.size > MAX_BYTES) {
      setError(t('companyDocuments.tooBig'));
      return;
    }
    setBusy(true);
    try {
      await uploadCompanyDocument(api, kind, file);
      setNotice(t('companyDocuments.uploaded', { name: file.name }));
      documents.reload();
    } catch (e) {
      setError(
        isApiError(e) && e.status === 415
          ? t('companyDocuments.type')
          : isApiError(e) && e.status === 413
            ? t('companyDocuments.tooBig')
            : describeError(e, t),
      );
    } finally {
      setBusy(false);
    }
  }

  async function remove(id: string) {
    setError(null);
    setNotice(null);
    try {
      await deleteCompanyDocument(api, id);
      documents.reload();
    } catch (e) {
      setError(
        isApiError(e) && e.code === 'COMPANY_DOCUMENT_LOCKED'
          ? t('companyDocuments.locked')
          : describeError(e, t),
      );
    }
  }

  async function download(id: string, fileName: string) {
    try {
      const file = await downloadCompanyDocument(api, id);
      saveBlob(file.blob, file.filename ?? fileName);
    } catch (e) {
      setError(describeError(e, t));
    }
  }

  const list = documents.data?.documents ?? [];
  return (
    <section className="card company-documents" data-testid="company-documents">
      <h2 className="card-title">{t('companyDocuments.title')}</h2>
      {approvalStatus === 'pending' && (
        <div data-testid="approval-pending">
          <Alert tone="info">{t('companyDocuments.pending')}</Alert>
        </div>
      )}
      {approvalStatus === 'rejected' && (
        <div data-testid="approval-rejected">
          <Alert tone="warning">{t('companyDocuments.rejected')}</Alert>
        </div>
      )}
      <p className="muted small">{t('companyDocuments.help')}</p>
      {notice && <Alert tone="success">{notice}</Alert>}
      {error && <Alert tone="error">{error}</Alert>}
      {documents.error !== undefined && <Alert tone="error">{describeError(documents.error, t)}</Alert>}
      {list.length === 0 ? (
        <p className="muted" data-testid="no-company-documents">
          {t('companyDocuments.none')}
        </p>
      ) : (
        <ul className="company-documents-list">
          {list.map((doc) => (
            <li key={doc.id} data-testid="company-document" data-kind={doc.kind}>
              <span className="company-document-kind">
                {t(`companyDocuments.kind.${doc.kind}` as MessageKey)}
              </span>
              <button
                type="button"
                className="button-link"
                onClick={() => void download(doc.id, doc.file_name)}
              >
                <bdi>{doc.file_name}</bdi>
              </button>
              <span className="muted small">{formatDate(new Date(doc.uploaded_at))}</span>
              <button
                type="button"
                className="button button-ghost button-small"
                data-testid="company-document-delete"
                onClick={() => void remove(doc.id)}
              >
                {t('companyDocuments.delete')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="button-row">
        <label className="field-inline">
          <span>{t('companyDocuments.kind')}</span>
          <select
            value={kind}
            data-testid="company-document-kind"
            onChange={(e) => setKind(e.target.value as CompanyDocumentKind)}
          >
            {COMPANY_DOCUMENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`companyDocuments.kind.${k}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label className="button button-ghost" aria-disabled={isBusy}>
          {t('companyDocuments.upload')}
          <input
            type="file"
            accept="application/pdf,image/png,image/jpeg"
            className="visually-hidden"
            data-testid="company-document-file"
            disabled={isBusy}
            onChange={(e) => void choose(e)}
          />
        </label>
      </div>
    </section>
  );
}
