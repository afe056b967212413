import { memo } from 'react';
import { api } from '../../api/browser-client';
import { isApiError } from '../../api/client';
import { lookupPeppolParticipant } from '../../api/resources';
import { Alert } from '../../components/Alert';
import { useI18n } from '../../i18n/I18nProvider';
import { useLoader } from '../../lib/use-loader';

/**
 * Before the invoice is sent: asks the Peppol network (SML and SMP, through the API) whether the buyer's Peppol
 * address is registered and receives invoices, and warns when it does not. Silent while asking, and when the
 * install has no lookup configured or the network does not answer (the send step decides then).
 */
export const PeppolReceiverNotice = memo(function PeppolReceiverNotice({
  endpoint,
}: {
  endpoint: { scheme: string; id: string };
}) {
  const { t } = useI18n();
  const participant = `${endpoint.scheme}:${endpoint.id}`;
  const lookup = useLoader((signal) => lookupPeppolParticipant(api, participant, { signal }), [participant]);
  if (lookup.isLoading) return null;
  const code = isApiError(lookup.error) ? lookup.error.code : null;
  let message: string | null = null;
  if (code === 'PARTICIPANT_NOT_FOUND') message = t('peppolLookup.notRegistered', { participant });
  else if (code === 'SMP_SIGNATURE_INVALID' || code === 'SMP_CERTIFICATE_UNTRUSTED')
    message = t('peppolLookup.unverified', { participant });
  else if (lookup.data && !lookup.data.receives.invoice)
    message = t('peppolLookup.noInvoices', { participant });
  if (message)
    return (
      <div className="peppol-receiver" data-testid="peppol-receiver-warning">
        <Alert tone="warning">{message}</Alert>
      </div>
    );
  if (lookup.data)
    return (
      <p className="peppol-receiver peppol-receiver-ok" data-testid="peppol-receiver-ok">
        {t('peppolLookup.receives', { participant })}
      </p>
    );
  return null;
});
