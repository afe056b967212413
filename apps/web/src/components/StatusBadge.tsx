import type { InvoiceStatus } from '../api/domain-types';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages-en';

export function StatusBadge({ status }: { status: InvoiceStatus | (string & {}) }) {
  const { t } = useI18n();
  const key = `status.${status}` as MessageKey;
  return (
    <span className={`status status-${status}`} data-testid="status-badge" data-status={status}>
      {t(key) ?? status}
    </span>
  );
}
